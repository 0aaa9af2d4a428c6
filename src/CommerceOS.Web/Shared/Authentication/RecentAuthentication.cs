using System.Globalization;
using System.Security.Claims;
using CommerceOS.Web.Shared.Problems;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CommerceOS.Web.Shared.Authentication;

/// <summary>
/// "Recent authentication" (ASVS 5.0 7.5.1, test plan row A4): a full sign-in or a password
/// re-entry on <c>/account/reauthenticate</c> stamps the session with <see cref="ClaimType"/>
/// (Unix seconds); sensitive actions (change e-mail or password, create API keys, ...) require it
/// to be at most <see cref="Window"/> old. Session refreshes keep the original time, never renew it.
/// </summary>
public static class RecentAuthentication
{
    public const string ClaimType = "cos:auth_time";
    public const string ErrorCode = "common.reauth_required";
    public const string ReauthenticatePath = "/account/reauthenticate";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static Claim CreateClaim(DateTimeOffset authenticatedAt) =>
        new(ClaimType, authenticatedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);

    /// <summary>When the session's user last proved their password; null for API keys or unknown.</summary>
    public static DateTimeOffset? AuthenticatedAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimType), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    public static bool IsRecent(ClaimsPrincipal user, TimeProvider time)
    {
        if (AuthenticatedAt(user) is not { } at)
        {
            return false;
        }

        var age = time.GetUtcNow() - at;
        // A time from the future (clock moved back) is not trusted either.
        return age >= -TimeSpan.FromMinutes(1) && age <= Window;
    }

    /// <summary>
    /// The answer to a sensitive request without recent authentication: htmx, JSON and API callers
    /// get 403 <c>common.reauth_required</c>; a browser form is sent to re-enter its password and
    /// then back to <paramref name="returnUrl"/> (a local path).
    /// </summary>
    public static IActionResult Challenge(HttpContext context, string returnUrl)
    {
        var request = context.Request;
        if (request.Headers.ContainsKey("HX-Request")
            || request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new ObjectResult(ProblemResults.Create(context, StatusCodes.Status403Forbidden, ErrorCode))
            {
                StatusCode = StatusCodes.Status403Forbidden,
                ContentTypes = { "application/problem+json" },
            };
        }

        return new LocalRedirectResult($"{ReauthenticatePath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    /// <summary>Endpoint filter for minimal APIs: 403 <c>common.reauth_required</c> unless recently authenticated.</summary>
    public static TBuilder RequireRecentAuthentication<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            return IsRecent(context.HttpContext.User, time)
                ? await next(context)
                : ProblemResults.Problem(context.HttpContext, StatusCodes.Status403Forbidden, ErrorCode);
        });

    /// <summary>
    /// <see cref="SecurityStampValidatorOptions.OnRefreshingPrincipal"/>: the periodic security stamp
    /// check rebuilds the principal from the database; carry the authentication time over unchanged.
    /// </summary>
    public static Task KeepAuthenticationTime(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal?.FindFirst(ClaimType) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity
            && !identity.HasClaim(c => c.Type == ClaimType))
        {
            identity.AddClaim(new Claim(ClaimType, claim.Value, claim.ValueType));
        }

        return Task.CompletedTask;
    }
}
