using CommerceOS.Connectors.Copy;
using CommerceOS.Connectors.Images;
using CommerceOS.Connectors.Llm;
using CommerceOS.Connectors.Marketplaces;
using CommerceOS.Connectors.Payments;
using CommerceOS.Connectors.Translation;
using CommerceOS.Connectors.Video;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Catalog;
using CommerceOS.Core.Copy;
using CommerceOS.Core.Data;
using CommerceOS.Core.Exports;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Privacy;
using CommerceOS.Core.Publishing;
using CommerceOS.Core.Workflows;
using CommerceOS.Core.Seo;
using CommerceOS.Core.Video;
using CommerceOS.Engines.Copy;
using CommerceOS.Engines.Imaging;
using CommerceOS.Engines.Seo;
using CommerceOS.Engines.Storage;
using CommerceOS.Engines.Translation;
using CommerceOS.Engines.Video;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Shared.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Web.Features.Platform;

public static class PlatformExtensions
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var role = HostRoles.Parse(builder.Configuration["Role"]);
        var dataDirectory = DataDirectory.Resolve(builder.Configuration);
        builder.Services.AddSingleton(new PlatformInfo(role, dataDirectory));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddDatabase(builder.Configuration, dataDirectory);
        // Registered first: hosted services start in order, and the job sweeps need the schema.
        builder.Services.AddHostedService<DatabaseMigrator>();
        var jobsRole = role switch
        {
            HostRole.Web => JobsRoles.Web,
            HostRole.Worker => JobsRoles.Worker,
            HostRole.All => JobsRoles.All,
            _ => throw new InvalidOperationException($"Unknown role {role}."),
        };
        builder.Services.AddJobs(builder.Configuration, jobsRole);
        builder.Services.AddUsage(builder.Configuration);
        builder.Services.AddLocalBlobStore(builder.Configuration, dataDirectory);
        builder.Services.AddLocalImaging();
        builder.Services.AddAssets(builder.Configuration);
        builder.Services.AddCatalog();
        builder.Services.AddGeneration();
        builder.Services.AddImageProviders(builder.Configuration);
        builder.Services.AddLocalSeo();
        builder.Services.AddSeo();
        builder.Services.AddCopy();
        builder.Services.AddLocalTranslation(builder.Configuration);
        builder.Services.AddTranslation(builder.Configuration);
        builder.Services.AddLlm(builder.Configuration);
        builder.Services.AddLocalCopy();
        builder.Services.AddCopyProvider();
        builder.Services.AddLocalVideo();
        builder.Services.AddVideo();
        builder.Services.AddVideoProvider(builder.Configuration);
        builder.Services.AddExports(builder.Configuration);
        builder.Services.AddPublishing(builder.Configuration);
        builder.Services.AddMarketplacePublishers(builder.Configuration);
        builder.Services.AddBilling(builder.Configuration);
        builder.Services.AddPrivacy(builder.Configuration);
        builder.Services.AddPaymentGateways(builder.Configuration);
        builder.Services.AddWorkflows(builder.Configuration, jobsRole);
        // Keys that protect cookies, tokens and stored secrets live with the data (shared by every node on
        // PostgreSQL), encrypted under a key that does not (KeyRingEncryption). Never delete them: data protected by a
        // deleted key cannot be read again.
        var keyRing = KeyRingEncryption.From(builder.Configuration, dataDirectory);
        builder.Services.AddSingleton(keyRing);
        builder.Services.AddDataProtection()
            .SetApplicationName("CommerceOS")
            .PersistKeysToDbContext<AppDbContext>();
        builder.Services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(options =>
            options.XmlEncryptor = new KeyRingXmlEncryptor(keyRing));

        builder.Services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Features";
            options.Conventions.AuthorizeFolder("/App");
        }).AddApplicationPart(typeof(PlatformExtensions).Assembly);
        builder.Services.AddRouting(options => options.LowercaseUrls = true);
        return builder;
    }

    public static WebApplication UsePlatformPipeline(this WebApplication app)
    {
        app.UseTransportSecurity();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAccounts();
        app.UseRequestLocalization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPlatform(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}

public sealed record PlatformInfo(HostRole Role, string DataDirectory);

/// <summary>
/// Applies pending migrations at start when <c>Database:MigrateOnStart</c> is true (the default for
/// the embedded SQLite mode; production runs <c>cos migrate</c> as a deployment step).
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IConfiguration configuration, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var provider = configuration[$"{DatabaseOptions.Section}:Provider"] ?? DatabaseOptions.Sqlite;
        var migrate = configuration.GetValue($"{DatabaseOptions.Section}:MigrateOnStart", provider == DatabaseOptions.Sqlite);
        if (!migrate)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database;
        var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migrations", pending.Count);
            await database.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
