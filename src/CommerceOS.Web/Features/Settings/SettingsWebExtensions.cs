using CommerceOS.Core.Workspaces;
using CommerceOS.Web.Shared.Authentication;

namespace CommerceOS.Web.Features.Settings;

public static class SettingsWebExtensions
{
    /// <summary>Registers the team use cases the settings pages use (the pages themselves are Razor Pages).</summary>
    public static WebApplicationBuilder AddSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddWorkspaces();
        return builder;
    }

    /// <summary>Makes <paramref name="workspaceId"/> the browser's active workspace (read by <see cref="WorkspaceResolutionMiddleware"/>).</summary>
    public static void SelectWorkspace(HttpResponse response, Guid workspaceId) =>
        response.Cookies.Append(WorkspaceResolutionMiddleware.WorkspaceCookie, workspaceId.ToString(), new CookieOptions
        {
            Secure = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            IsEssential = true,
        });

    public static string RoleKey(WorkspaceRole role) => $"workspaces.role_{role.ToString().ToLowerInvariant()}";

    public static string LocalOr(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : fallback;
}
