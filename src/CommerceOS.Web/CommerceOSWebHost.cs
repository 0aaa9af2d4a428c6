using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Admin;
using CommerceOS.Web.Features.Api;
using CommerceOS.Web.Features.Platform;
using CommerceOS.Web.Features.Privacy;
using CommerceOS.Web.Features.Settings;
using CommerceOS.Web.Shared.Localization;
using CommerceOS.Web.Shared.Observability;
using CommerceOS.Web.Shared.Problems;
using CommerceOS.Web.Shared.Security;

namespace CommerceOS.Web;

/// <summary>
/// Builds the CommerceOS host: one Add/Map call per area. The <c>cos</c> CLI uses the same builder for
/// <c>cos serve</c> and <c>cos worker</c>, so server and CLI share configuration and data folder.
/// </summary>
public static class CommerceOSWebHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content (web root, legal texts, resources) ships beside the binaries, so the host works the
        // same from the web project, the cos CLI or a published folder; data stays in the working folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);

        builder.AddObservability();
        builder.AddPlatform();
        builder.AddLocalization();
        builder.AddSecurity();
        builder.AddProblemResponses();
        builder.AddAccountsWeb();
        builder.AddSettings();
        builder.AddApi();

        var app = builder.Build();

        app.UsePlatformPipeline();
        app.MapHealth();
        // A worker node runs jobs and answers health checks only; pages and the API live on web nodes.
        if (app.Services.GetRequiredService<PlatformInfo>().Role.ServesHttp())
        {
            app.MapPlatform();
            app.MapLanguage();
            app.MapPrivacy();
            app.MapAccounts();
            app.MapAdmin();
            app.MapApi();
        }

        return app;
    }
}
