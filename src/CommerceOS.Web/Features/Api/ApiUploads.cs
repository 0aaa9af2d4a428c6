using CommerceOS.Web.Shared.Authentication;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Api;

/// <summary>The checks every multipart upload to the API makes before it reads a file.</summary>
public static class ApiUploads
{
    /// <summary>
    /// A browser session needs the antiforgery token (a cross-site form could post one; an API key cannot be sent by
    /// another site), and the body must be a form. Null when the request may go on.
    /// </summary>
    public static async Task<JsonHttpResult<ProblemDetails>?> CheckAsync(HttpContext context, IAntiforgery antiforgery)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(antiforgery);
        if (context.User.FindFirst(AuthClaims.ApiKey) is null)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(context);
            }
            catch (AntiforgeryValidationException)
            {
                return ApiProblems.Problem(context, StatusCodes.Status400BadRequest, "common.bad_request");
            }
        }

        return context.Request.HasFormContentType
            ? null
            : ApiProblems.Problem(context, StatusCodes.Status415UnsupportedMediaType, "common.unsupported_media_type");
    }

    /// <summary>The form, or 413 when the body is over the server's limit.</summary>
    public static async Task<(IFormCollection? Form, JsonHttpResult<ProblemDetails>? Problem)> ReadFormAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return (await context.Request.ReadFormAsync(cancellationToken), null);
        }
        catch (InvalidDataException)
        {
            return (null, ApiProblems.Problem(context, StatusCodes.Status413PayloadTooLarge, "common.payload_too_large"));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, ApiProblems.Problem(context, StatusCodes.Status413PayloadTooLarge, "common.payload_too_large"));
        }
    }
}
