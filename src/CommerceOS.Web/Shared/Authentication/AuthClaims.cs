using System.Security.Claims;

namespace CommerceOS.Web.Shared.Authentication;

/// <summary>The claims CommerceOS adds to a session or an API key's principal, and the signed-in user's id.</summary>
public static class AuthClaims
{
    public const string Workspace = "cos:ws";
    public const string ApiKey = "cos:key";
    public const string Admin = "cos:admin";

    /// <summary>The signed-in user's id, from a session or an API key; null for a visitor.</summary>
    public static Guid? UserId(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
