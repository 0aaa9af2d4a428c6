using CommerceOS.Core.Accounts;
using CommerceOS.Core.Privacy;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Privacy;

/// <summary>
/// The visitor's cookie choice (privacy policy 7). Until they choose, only essential cookies exist: the session, the
/// antiforgery token and, once they choose, this choice itself. The analytics cookie (a random visitor id) exists only
/// while analytics is accepted. For a signed-in user their own recorded decision must agree too, so a withdrawal made in
/// the API or on another device stops analytics at the next page. The choice carries the privacy policy version it was
/// made under: a yes given before the latest material change of the policy no longer counts and the banner asks again
/// (nothing is collected until then); a no stays a no whatever the version, so a withdrawn consent stays withdrawn.
/// </summary>
public static class ConsentCookies
{
    public const string ChoiceCookie = "__Host-cos-consent";

    public const string VisitorCookie = "__Host-cos-aid";

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(180);

    /// <summary>
    /// The choice made in this browser: null before any (or a yes that a material policy change since has lapsed), else
    /// whether analytics was accepted.
    /// </summary>
    public static async Task<bool?> AnalyticsAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = context.Request.Cookies[ChoiceCookie];
        if (value is null)
        {
            return null;
        }

        if (!value.EndsWith(":1", StringComparison.Ordinal))
        {
            return false;
        }

        var catalog = await context.RequestServices.GetRequiredService<LegalVersions>().GetAsync(context.RequestAborted);
        return catalog.CoveringVersions(LegalDocuments.Privacy).Contains(value[..^2], StringComparer.Ordinal) ? true : null;
    }

    public static Guid? VisitorId(HttpRequest request) =>
        Guid.TryParse(request.Cookies[VisitorCookie], out var id) ? id : null;

    /// <summary>Whether this page may load the analytics script.</summary>
    public static async Task<bool> AnalyticsAllowedAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await AnalyticsAsync(context) != true || VisitorId(context.Request) is null)
        {
            return false;
        }

        return AuthClaims.UserId(context.User) is not { } userId
            || await context.RequestServices.GetRequiredService<Consents>().AllowsAnalyticsAsync(userId, context.RequestAborted);
    }

    /// <summary>Stores the choice (with the policy version it was made under) and gives or takes the analytics cookie.</summary>
    public static async Task WriteAsync(HttpContext context, bool analytics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(time);
        var expires = time.GetUtcNow().Add(Lifetime);
        var version = await context.RequestServices.GetRequiredService<LegalVersions>().CurrentAsync(LegalDocuments.Privacy, context.RequestAborted);
        context.Response.Cookies.Append(ChoiceCookie, $"{version}:{(analytics ? 1 : 0)}", Options(expires));
        if (analytics)
        {
            context.Response.Cookies.Append(VisitorCookie, (VisitorId(context.Request) ?? Guid.NewGuid()).ToString("N"), Options(expires));
        }
        else
        {
            ForgetVisitor(context);
        }
    }

    public static void ForgetVisitor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(VisitorCookie, new CookieOptions { Path = "/", Secure = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
    }


    private static CookieOptions Options(DateTimeOffset expires) =>
        new() { Expires = expires, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = true, HttpOnly = true, Path = "/" };
}
