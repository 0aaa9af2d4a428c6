using System.Text.Json;
using System.Text.Json.Serialization;
using CommerceOS.Web.Features.Accounts;
using CommerceOS.Web.Features.Assets;
using CommerceOS.Web.Features.Billing;
using CommerceOS.Web.Features.Catalog;
using CommerceOS.Web.Features.Copy;
using CommerceOS.Web.Features.Exports;
using CommerceOS.Web.Features.ImageStudio;
using CommerceOS.Web.Features.Jobs;
using CommerceOS.Web.Features.Privacy;
using CommerceOS.Web.Features.Publishing;
using CommerceOS.Web.Features.Seo;
using CommerceOS.Web.Features.Video;
using CommerceOS.Web.Shared.Security;
using Scalar.AspNetCore;

namespace CommerceOS.Web.Features.Api;

/// <summary>The public JSON API <c>/api/v1</c>, its OpenAPI document and the Scalar reference UI.</summary>
public static class ApiExtensions
{
    public const string Prefix = "/api/v1";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return builder;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        var api = app.MapGroup(Prefix)
            .RequireAuthorization(AccountsWebExtensions.MemberPolicy)
            .RequireRateLimiting(SecurityExtensions.ApiRateLimit);
        api.MapCatalogApi();
        api.MapAssetsApi();
        api.MapJobsApi();
        api.MapImageStudioApi();
        api.MapSeoApi();
        api.MapCopyApi();
        api.MapVideoApi();
        api.MapUsageApi();
        api.MapWorkflowsApi();
        api.MapExportsApi();
        api.MapPublishingApi();
        api.MapBillingApi();
        api.MapPrivacyApi();
        api.MapAccountDeletionApi();
        api.MapDataExportApi();

        app.MapPublicMedia();
        app.MapPaymentWebhooks();
        app.MapOpenApi();
        app.MapScalarApiReference();
        return app;
    }
}
