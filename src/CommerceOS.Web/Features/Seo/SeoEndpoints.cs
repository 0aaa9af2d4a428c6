using CommerceOS.Core.Seo;
using CommerceOS.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Seo;

/// <summary>
/// <c>GET /api/v1/products/{id}/seo?marketplace=amazon</c>: the product's SEO for one marketplace (issue 4); 409
/// <c>seo.feature_required</c> (with <c>feature</c> and <c>upgradeUrl</c>) below the Creator plan.
/// </summary>
public static class SeoEndpoints
{
    public static RouteGroupBuilder MapSeoApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/products").WithTags("SEO").MapGet("/{id:guid}/seo", GetAsync);
        return api;
    }

    private static async Task<Results<Ok<GetProductSeo.Report>, JsonHttpResult<ProblemDetails>>> GetAsync(
        Guid id, string? marketplace, GetProductSeo handler, HttpContext context, CancellationToken cancellationToken)
    {
        // Image URLs in the JSON-LD are absolute, on the origin the seller is using.
        var origin = new Uri($"{context.Request.Scheme}://{context.Request.Host}/");
        var result = await handler.HandleAsync(new GetProductSeo.Request(id, marketplace, origin), cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(result.Value) : ApiProblems.From(context, result);
    }
}
