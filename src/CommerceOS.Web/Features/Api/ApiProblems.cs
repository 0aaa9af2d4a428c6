using CommerceOS.Core.Common;
using CommerceOS.Web.Shared.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Features.Api;

/// <summary>
/// Maps use-case <see cref="Result"/> failures to ProblemDetails: Invalid 400 (<c>common.validation_failed</c>
/// with <c>errors</c> field -> codes), NotFound 404 (<c>common.not_found</c>, identical for another
/// workspace's ids), Conflict 409 (the first conflict code), Forbidden 403.
/// </summary>
public static class ApiProblems
{
    public const string ValidationFailed = "common.validation_failed";

    public static JsonHttpResult<ProblemDetails> Problem(HttpContext context, int status, string code, IDictionary<string, string[]>? errors = null, params object[] arguments)
    {
        var problem = ProblemResults.Create(context, status, code, arguments);
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return TypedResults.Json(problem, statusCode: status, contentType: "application/problem+json");
    }

    public static JsonHttpResult<ProblemDetails> NotFound(HttpContext context) =>
        Problem(context, StatusCodes.Status404NotFound, CommonErrors.NotFound);

    public static JsonHttpResult<ProblemDetails> Invalid(HttpContext context, string field, string code) =>
        Problem(context, StatusCodes.Status400BadRequest, ValidationFailed, new Dictionary<string, string[]> { [field] = [code] });

    public static JsonHttpResult<ProblemDetails> From(HttpContext context, ResultStatus status, IReadOnlyList<FieldError> errors)
    {
        var byField = errors
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Code).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return status switch
        {
            ResultStatus.Invalid => Problem(context, StatusCodes.Status400BadRequest, ValidationFailed, byField),
            ResultStatus.NotFound => NotFound(context),
            ResultStatus.Forbidden => Problem(context, StatusCodes.Status403Forbidden, CommonErrors.Forbidden),
            ResultStatus.Conflict => Problem(context, StatusCodes.Status409Conflict, errors[0].Code, byField, [.. errors[0].Args]),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a failure."),
        };
    }

    public static JsonHttpResult<ProblemDetails> From(HttpContext context, Result result) => From(context, result.Status, result.Errors);

    public static JsonHttpResult<ProblemDetails> From<T>(HttpContext context, Result<T> result) => From(context, result.Status, result.Errors);
}
