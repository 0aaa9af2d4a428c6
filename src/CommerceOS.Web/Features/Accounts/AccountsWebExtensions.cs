using Microsoft.AspNetCore.Antiforgery;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Email;
using CommerceOS.Web.Shared.Authentication;
using CommerceOS.Web.Shared.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CommerceOS.Web.Features.Accounts;

public static class AccountsWebExtensions
{
    public const string SessionCookie = "__Host-cos";
    public const string MemberPolicy = "member";
    public const string EditorPolicy = "editor";
    public const string AdminPolicy = "system-admin";

    public static WebApplicationBuilder AddAccountsWeb(this WebApplicationBuilder builder)
    {
        var dataDirectory = Core.Data.DataDirectory.Resolve(builder.Configuration);
        builder.Services.AddEmail(builder.Configuration, dataDirectory);
        builder.Services.AddAccounts(builder.Configuration, dataDirectory);
        new IdentityBuilder(typeof(AppUser), typeof(AppRole), builder.Services)
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = "cos";
                options.DefaultChallengeScheme = "cos";
            })
            .AddPolicyScheme("cos", "Session cookie or API key", options => options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        builder.Services.ConfigureApplicationCookie(options =>
        {
            // ASVS 5.0 3.3.1-3.3.4: __Host- prefix, Secure, HttpOnly, SameSite; 30 min idle timeout.
            options.Cookie.Name = SessionCookie;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.Path = "/";
            options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
            options.SlidingExpiration = true;
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/login";
            options.Events.OnRedirectToLogin = context => IsApi(context.Request)
                ? ProblemResults.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "common.unauthenticated", context.HttpContext.RequestAborted)
                : Redirect(context);
            options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                ? ProblemResults.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "common.forbidden", context.HttpContext.RequestAborted)
                : Redirect(context);
        });
        // Every request re-checks the session against the user's security stamp, so logout, a new sign-in
        // elsewhere, a password change or account closure ends other sessions at once (ASVS 5.0 7.4).
        // The refreshed principal keeps the time of the last real authentication (RecentAuthentication).
        builder.Services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.Zero;
            options.OnRefreshingPrincipal = RecentAuthentication.KeepAuthenticationTime;
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MemberPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new WorkspaceRoleRequirement(Core.Workspaces.WorkspaceRole.Viewer)))
            .AddPolicy(EditorPolicy, policy => policy.RequireAuthenticatedUser().AddRequirements(new WorkspaceRoleRequirement(Core.Workspaces.WorkspaceRole.Editor)))
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(AuthClaims.Admin, "true"));
        builder.Services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, WorkspaceRoleHandler>();
        builder.Services.AddScoped<UserLanguagePreferenceStore>();
        builder.Services.AddSingleton<LoginThrottle>();
        return builder;
    }

    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<WorkspaceResolutionMiddleware>();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapPost("/account/logout", async (SignInManager<AppUser> signIn, IAntiforgery antiforgery, HttpContext context) =>
        {
            // The endpoint binds no form field, so the automatic check does not apply: validate explicitly.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return ProblemResults.Problem(context, StatusCodes.Status400BadRequest, "common.bad_request");
            }

            // Logout ends the session on the server too: a copied cookie is worthless afterwards (ASVS 5.0 7.4.1).
            if (await signIn.UserManager.GetUserAsync(context.User) is { } user)
            {
                await signIn.UserManager.UpdateSecurityStampAsync(user);
            }

            await signIn.SignOutAsync();
            context.Response.Cookies.Delete(WorkspaceResolutionMiddleware.WorkspaceCookie);
            return Results.LocalRedirect("/");
        })
        .RequireAuthorization();
        return app;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
