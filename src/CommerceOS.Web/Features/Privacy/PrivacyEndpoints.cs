using System.Text.Json.Serialization;
using CommerceOS.Core.Privacy;
using CommerceOS.Web.Features.Api;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Privacy;

/// <summary>
/// Consent (privacy policy 6 and 7): <c>POST /consent</c> from the banner and the cookie settings page (accept and
/// withdraw are one click each), <c>POST /analytics/collect</c> from the analytics script, and
/// <c>GET/PUT /api/v1/me/consents</c>.
/// </summary>
public static class PrivacyEndpoints
{
    public const string CookieSettingsUrl = "/privacy/cookies";

    public sealed record ConsentsBody(bool? Analytics, bool? QualityImprovement);

    public sealed record CollectBody([property: JsonPropertyName("path")] string? Path);

    public static WebApplication MapPrivacy(this WebApplication app)
    {
        app.MapPost("/consent", async ([FromForm] string? analytics, [FromForm] string? quality, [FromForm] string? returnUrl,
            HttpContext context, Consents consents, AnalyticsCollector collector, TimeProvider time) =>
        {
            bool? Choice(string? value) => value switch { "accept" => true, "reject" => false, _ => null };
            var analyticsChoice = Choice(analytics);
            var qualityChoice = Choice(quality);
            if (analyticsChoice is { } accepted)
            {
                if (!accepted && ConsentCookies.VisitorId(context.Request) is { } visitor)
                {
                    await collector.ForgetVisitorAsync(visitor, context.RequestAborted);
                }

                await ConsentCookies.WriteAsync(context, accepted, time);
            }

            if (AuthClaims.UserId(context.User) is { } userId && (analyticsChoice is not null || qualityChoice is not null))
            {
                await consents.SetAsync(userId, analyticsChoice, qualityChoice, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
            }

            return Results.LocalRedirect(Platform.LanguageEndpoints.IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous().RequireRateLimiting(SecurityExtensions.ApiRateLimit).ExcludeFromDescription();

        // Policy section 10: "I have read it" on the change banner records the acceptance of that version (and audits it).
        app.MapPost("/legal/acknowledge", async Task<IResult> ([FromForm] Guid? versionId, [FromForm] string? returnUrl, HttpContext context, LegalNotices notices) =>
        {
            if (AuthClaims.UserId(context.User) is not { } userId)
            {
                return ApiProblems.Problem(context, StatusCodes.Status401Unauthorized, "common.unauthenticated");
            }

            var result = await notices.AcknowledgeAsync(userId, versionId ?? Guid.Empty, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
            return result.IsSuccess
                ? Results.LocalRedirect(Platform.LanguageEndpoints.IsLocal(returnUrl) ? returnUrl! : "/app")
                : ApiProblems.Problem(context, StatusCodes.Status409Conflict, LegalErrors.NoticeNotPending);
        }).RequireAuthorization().RequireRateLimiting(SecurityExtensions.ApiRateLimit).ExcludeFromDescription();

        app.MapPost("/analytics/collect", async ([FromBody] CollectBody? body, HttpContext context, AnalyticsCollector collector) =>
        {
            // No consent in this browser: nothing is stored and no analytics cookie stays.
            if (await ConsentCookies.AnalyticsAsync(context) != true || ConsentCookies.VisitorId(context.Request) is not { } visitor)
            {
                ConsentCookies.ForgetVisitor(context);
                return Results.NoContent();
            }

            await collector.RecordAsync(visitor, AuthClaims.UserId(context.User), body?.Path, context.Request.Headers.UserAgent.ToString(),
                context.Connection.RemoteIpAddress, context.RequestAborted);
            return Results.NoContent();
        }).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(SecurityExtensions.ApiRateLimit).ExcludeFromDescription();
        return app;
    }

    public static RouteGroupBuilder MapPrivacyApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Privacy");
        me.MapGet("/consents", GetAsync);
        me.MapPut("/consents", PutAsync);
        return api;
    }

    /// <summary>The optional consents (analytics, quality improvement) with their history and the policy version.</summary>
    private static async Task<Results<Ok<ConsentState>, JsonHttpResult<ProblemDetails>>> GetAsync(HttpContext context, Consents consents, CancellationToken cancellationToken) =>
        AuthClaims.UserId(context.User) is { } userId
            ? TypedResults.Ok(await consents.GetAsync(userId, cancellationToken))
            : ApiProblems.Problem(context, StatusCodes.Status401Unauthorized, "common.unauthenticated");

    /// <summary>Gives or withdraws each optional consent (a field left out stays as it is); a withdrawal applies to the next request.</summary>
    private static async Task<Results<Ok<ConsentState>, JsonHttpResult<ProblemDetails>>> PutAsync(ConsentsBody body, HttpContext context, Consents consents, AnalyticsCollector collector, CancellationToken cancellationToken)
    {
        if (AuthClaims.UserId(context.User) is not { } userId)
        {
            return ApiProblems.Problem(context, StatusCodes.Status401Unauthorized, "common.unauthenticated");
        }

        if (body.Analytics == false)
        {
            if (ConsentCookies.VisitorId(context.Request) is { } visitor)
            {
                await collector.ForgetVisitorAsync(visitor, cancellationToken);
            }

            ConsentCookies.ForgetVisitor(context);
        }

        return TypedResults.Ok(await consents.SetAsync(userId, body.Analytics, body.QualityImprovement, context.Connection.RemoteIpAddress?.ToString(), cancellationToken));
    }
}
