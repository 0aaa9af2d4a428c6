using CommerceOS.Core.Privacy;
using Microsoft.AspNetCore.Mvc.RazorPages;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Privacy;

/// <summary>
/// <c>/privacy/cookies</c>: the cookies in use and the analytics choice, changeable any time with one click either way;
/// for a signed-in user also "use my usage to improve quality" and the history of their decisions.
/// </summary>
public sealed class CookieSettingsModel(Consents consents) : PageModel
{
    /// <summary>This browser's choice; null before any.</summary>
    public bool? Analytics { get; private set; }

    /// <summary>The signed-in user's recorded decisions; null for a visitor.</summary>
    public ConsentState? Recorded { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Analytics = await ConsentCookies.AnalyticsAsync(HttpContext);
        if (AuthClaims.UserId(User) is { } userId)
        {
            Recorded = await consents.GetAsync(userId, cancellationToken);
            // A withdrawal recorded elsewhere outranks this browser's earlier yes.
            if (Analytics == true && !Recorded.Analytics)
            {
                Analytics = false;
            }
        }
    }
}
