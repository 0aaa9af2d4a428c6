using System.Text.Json;
using System.Text.Json.Nodes;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Catalog;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using CommerceOS.Web.Features.Assets;

namespace CommerceOS.Web.Features.Catalog;

/// <summary><c>/api/v1/products</c>: create, list, read, partial update, delete, and photo uploads.</summary>
public static class CatalogEndpoints
{
    public const string InvalidValue = "api.invalid_value";

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products");
        products.MapPost("/", CreateAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapGet("/", ListAsync);
        products.MapGet("/{id:guid}", GetAsync);
        products.MapPatch("/{id:guid}", PatchAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(AccountsWebExtensions.EditorPolicy);
        products.MapPost("/{id:guid}/photos", UploadPhotosAsync)
            .RequireAuthorization(AccountsWebExtensions.EditorPolicy)
            .DisableAntiforgery()
            .Accepts<IFormFileCollection>("multipart/form-data");
        return api;
    }

    private static async Task<Results<Created<ProductDetails>, JsonHttpResult<ProblemDetails>>> CreateAsync(
        ProductRequest request, CreateProduct handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new CreateProduct.Request(request.ToInput()), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"{ApiExtensions.Prefix}/products/{result.Value.Id}", result.Value)
            : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<ListProducts.Response>, JsonHttpResult<ProblemDetails>>> ListAsync(
        ListProducts handler,
        HttpContext context,
        string? q,
        string? category,
        Guid? brandId,
        string? status,
        string? sort,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        ProductStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<ProductStatus>(status, ignoreCase: true, out var s) || !Enum.IsDefined(s) || int.TryParse(status, out _))
            {
                return ApiProblems.Invalid(context, "status", InvalidValue);
            }

            parsedStatus = s;
        }

        var productSort = ProductSort.Updated;
        bool? descending = null;
        if (!string.IsNullOrEmpty(sort))
        {
            var name = sort.TrimStart('-', '+');
            if (!Enum.TryParse(name, ignoreCase: true, out productSort) || !Enum.IsDefined(productSort) || int.TryParse(name, out _))
            {
                return ApiProblems.Invalid(context, "sort", InvalidValue);
            }

            descending = sort.StartsWith('-') ? true : null;
        }

        var result = await handler.HandleAsync(
            new ListProducts.Request(q, category, brandId, parsedStatus, productSort, descending, page ?? 1, pageSize ?? 25),
            cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<Ok<ProductDetails>, JsonHttpResult<ProblemDetails>>> GetAsync(
        Guid id, GetProduct handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new GetProduct.Request(id), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    /// <summary>
    /// JSON merge patch (RFC 7396) on the top-level fields: read the product, overlay the fields given,
    /// then save through <see cref="UpdateProduct"/> (which validates). <c>updatedAt</c> in the body, if
    /// present, is the version the client saw; otherwise the version just read.
    /// </summary>
    private static async Task<Results<Ok<ProductDetails>, JsonHttpResult<ProblemDetails>>> PatchAsync(
        Guid id,
        JsonElement patch,
        GetProduct get,
        UpdateProduct update,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> jsonOptions,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return ApiProblems.Problem(context, StatusCodes.Status400BadRequest, "common.bad_request");
        }

        var current = await get.HandleAsync(new GetProduct.Request(id), cancellationToken);
        if (!current.IsSuccess)
        {
            return ApiProblems.From(context, current);
        }

        var options = jsonOptions.Value.SerializerOptions;
        var merged = JsonSerializer.SerializeToNode(ProductRequest.From(current.Value), options)!.AsObject();
        var expected = current.Value.UpdatedAt;
        foreach (var property in patch.EnumerateObject())
        {
            if (string.Equals(property.Name, "updatedAt", StringComparison.OrdinalIgnoreCase))
            {
                if (property.Value.ValueKind != JsonValueKind.String || !property.Value.TryGetDateTime(out expected))
                {
                    return ApiProblems.Invalid(context, "updatedAt", InvalidValue);
                }

                expected = DateTime.SpecifyKind(expected.ToUniversalTime(), DateTimeKind.Utc);
                continue;
            }

            var key = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                return ApiProblems.Invalid(context, property.Name, InvalidValue);
            }

            merged[key] = JsonNode.Parse(property.Value.GetRawText());
        }

        ProductRequest request;
        try
        {
            request = merged.Deserialize<ProductRequest>(options)!;
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path[2..] : "";
            return ApiProblems.Invalid(context, field, InvalidValue);
        }

        var result = await update.HandleAsync(new UpdateProduct.Request(id, expected, request.ToInput()), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ProblemDetails>>> DeleteAsync(
        Guid id, DeleteProduct handler, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(new DeleteProduct.Request(id), cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiProblems.From(context, result);
    }

    /// <summary>
    /// Multipart upload (field <c>file</c>, one or more files): each file goes through
    /// <see cref="UploadAsset"/> then <see cref="AddPhoto"/>. Files are handled in order and the first
    /// refusal stops the request (files before it stay attached). API-key callers need no antiforgery
    /// token; a cookie-authenticated caller must send one (validated here, since the endpoint reads the
    /// form itself).
    /// </summary>
    private static async Task<Results<Created<PhotoUploadResponse>, JsonHttpResult<ProblemDetails>>> UploadPhotosAsync(
        Guid id,
        HttpContext context,
        GetProduct get,
        UploadAsset upload,
        AddPhoto addPhoto,
        IAntiforgery antiforgery,
        CancellationToken cancellationToken)
    {
        if (await ApiUploads.CheckAsync(context, antiforgery) is { } refused)
        {
            return refused;
        }

        var product = await get.HandleAsync(new GetProduct.Request(id), cancellationToken);
        if (!product.IsSuccess)
        {
            return ApiProblems.From(context, product);
        }

        var (form, tooLarge) = await ApiUploads.ReadFormAsync(context, cancellationToken);
        if (form is null)
        {
            return tooLarge!;
        }

        var files = form.Files.GetFiles("file");
        if (files.Count == 0)
        {
            return ApiProblems.Invalid(context, "file", UploadErrors.Code(UploadError.Empty));
        }

        var uploaded = new List<UploadedAsset>(files.Count);
        ProductPhotos? photos = null;
        foreach (var file in files)
        {
            UploadAsset.Response response;
            await using (var stream = file.OpenReadStream())
            {
                response = await upload.HandleAsync(new UploadAsset.Request(stream, file.FileName, file.ContentType), cancellationToken);
            }

            if (!response.Succeeded)
            {
                var status = UploadStatus.For(response.Rejection.Error);
                return ApiProblems.Problem(context, status, response.Rejection.Code, null, [.. response.Rejection.Arguments]);
            }

            var asset = response.Asset;
            var added = await addPhoto.HandleAsync(new AddPhoto.Request(id, asset.Id), cancellationToken);
            if (!added.IsSuccess)
            {
                return ApiProblems.From(context, added);
            }

            photos = added.Value;
            uploaded.Add(new UploadedAsset(asset.Id, asset.ContentType, asset.ByteSize, asset.Width, asset.Height, response.ThumbnailJobId));
        }

        return TypedResults.Created(
            $"{ApiExtensions.Prefix}/assets/{uploaded[0].Id}/content",
            new PhotoUploadResponse(id, uploaded, photos!.AssetIds, photos.UpdatedAt));
    }
}
