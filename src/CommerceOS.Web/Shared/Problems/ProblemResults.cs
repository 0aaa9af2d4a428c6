using System.Diagnostics;
using CommerceOS.Core.Billing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CommerceOS.Web.Shared.Problems;

/// <summary>
/// Errors as RFC 9457 ProblemDetails with a stable, documented <c>code</c> and a localized
/// <c>detail</c>; API clients switch on the code, people read the detail.
/// </summary>
public static class ProblemResults
{
    public static IResult Problem(HttpContext context, int status, string code, IDictionary<string, string[]>? errors = null, params object[] arguments)
    {
        var problem = Create(context, status, code, arguments);
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return Results.Json(problem, statusCode: status, contentType: "application/problem+json");
    }

    public static async Task WriteAsync(HttpContext context, int status, string code, CancellationToken cancellationToken, params object[] arguments)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(Create(context, status, code, arguments), options: null, contentType: "application/problem+json", cancellationToken);
    }

    public static ProblemDetails Create(HttpContext context, int status, string code, params object[] arguments)
    {
        var localizer = context.RequestServices.GetRequiredService<IStringLocalizer>();
        var problem = new ProblemDetails
        {
            Status = status,
            Title = localizer[$"problem.status_{status}"].ResourceNotFound ? null : localizer[$"problem.status_{status}"].Value,
            Detail = localizer[code, arguments].Value,
            Type = $"https://commerceos.ai/problems/{code}",
        };
        problem.Extensions["code"] = code;
        if (PlanFeatureQueries.IsFeatureRequired(code))
        {
            // A plan gate says which feature is missing and where to get it.
            if (arguments is [string feature, ..])
            {
                problem.Extensions["feature"] = feature;
            }

            problem.Extensions["upgradeUrl"] = Features.Billing.BillingUi.BillingUrl;
        }

        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        return problem;
    }

    public static WebApplicationBuilder AddProblemResponses(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Framework-generated problems (404 routing, 500 exception handler) get a code too.
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
                var code = status switch
                {
                    StatusCodes.Status404NotFound => "common.not_found",
                    StatusCodes.Status401Unauthorized => "common.unauthenticated",
                    StatusCodes.Status403Forbidden => "common.forbidden",
                    StatusCodes.Status405MethodNotAllowed => "common.method_not_allowed",
                    StatusCodes.Status413PayloadTooLarge => "common.payload_too_large",
                    StatusCodes.Status415UnsupportedMediaType => "common.unsupported_media_type",
                    StatusCodes.Status400BadRequest => "common.bad_request",
                    _ => "common.server_error",
                };
                var localizer = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer>();
                context.ProblemDetails.Extensions["code"] = code;
                context.ProblemDetails.Detail = localizer[code].Value;
                context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            }
        });
        return builder;
    }
}
