using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.HttpOverrides;

namespace CommerceOS.Web.Shared.Security;

public static class SecurityExtensions
{
    public const string AuthRateLimit = "auth";
    public const string ApiRateLimit = "api";
    public const string UploadRateLimit = "upload";

    /// <summary>HSTS max-age: one year (ASVS 5.0 3.4.1); the framework default is 30 days.</summary>
    public const int HstsMaxAgeSeconds = 31_536_000;

    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 30 * 1024 * 1024;
        });

        AddHeaderPolicies(builder.Services);
        AddForwardedHeaders(builder);

        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "__Host-cos-af";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.HeaderName = "X-CSRF-TOKEN";
        });

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter =
                        ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await Problems.ProblemResults.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "common.rate_limited", cancellationToken);
            };

            var limits = builder.Configuration.GetSection("RateLimits");
            // Sign-in, sign-up and reset are limited per client address before any password hashing runs.
            options.AddPolicy(AuthRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.GetValue("AuthPerMinute", 20),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.AddPolicy(ApiRateLimit, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.Identity?.Name ?? ClientAddress(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.GetValue("ApiBurst", 120),
                    TokensPerPeriod = limits.GetValue("ApiPerSecond", 20),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
            options.AddPolicy(UploadRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.GetValue("UploadsPerMinute", 120),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });

        return builder;
    }

    /// <summary>
    /// Browsers treat http://localhost as a secure context and keep <c>Secure</c> cookies there, so the
    /// embedded single-machine mode can use <c>__Host-</c> cookies without a certificate. Only loopback
    /// connections qualify, and <c>Security:LoopbackHttpIsSecure=false</c> turns it off (set it behind a
    /// reverse proxy on the same host; use ForwardedHeaders there instead).
    /// </summary>
    private static WebApplication UseLoopbackAsSecure(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Security:LoopbackHttpIsSecure", true))
        {
            return app;
        }

        app.Use((context, next) =>
        {
            if (!context.Request.IsHttps && context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address))
            {
                context.Request.Scheme = Uri.UriSchemeHttps;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Behind a TLS-terminating proxy or load balancer (production): <c>Security:ForwardedHeaders:KnownProxies</c> (addresses)
    /// and <c>KnownNetworks</c> (CIDR) name the proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed;
    /// the same headers from anyone else are ignored, so a client cannot claim HTTPS or another address.
    /// </summary>
    private static void AddForwardedHeaders(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Security:ForwardedHeaders");
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = section.GetValue("ForwardLimit", 1);
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"Security:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"Security:ForwardedHeaders:KnownNetworks: '{network}' is not a CIDR network."));
            }
        });
    }

    /// <summary>
    /// Encryption in transit (privacy policy section 5). With proxies configured, their forwarded scheme and client
    /// address apply first. With <c>Security:RequireHttps=true</c> (the production configuration), a plain-HTTP request
    /// is redirected (308, method and body kept) to the same URL on HTTPS; <c>/health</c> stays reachable for probes.
    /// HSTS (one year) is sent on every response by the header policy.
    /// </summary>
    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        var section = app.Configuration.GetSection("Security:ForwardedHeaders");
        if (section.GetSection("KnownProxies").GetChildren().Any() || section.GetSection("KnownNetworks").GetChildren().Any())
        {
            app.UseForwardedHeaders();
        }

        app.UseLoopbackAsSecure();
        if (!app.Configuration.GetValue("Security:RequireHttps", false))
        {
            return app;
        }

        var httpsPort = app.Configuration.GetValue<int?>("Security:HttpsPort");
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.IsHttps || request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                return next(context);
            }

            var host = httpsPort is { } port ? new HostString(request.Host.Host, port) : new HostString(request.Host.Host);
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = UriHelper.BuildAbsolute(Uri.UriSchemeHttps, host, request.PathBase, request.Path, request.QueryString);
            return Task.CompletedTask;
        });
        return app;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        SecurityHeadersMiddlewareExtensions.UseSecurityHeaders(app);
        return app;
    }

    private static void AddHeaderPolicies(IServiceCollection services)
    {
        var policy = new HeaderPolicyCollection()
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddCrossOriginOpenerPolicy(x => x.SameOrigin())
            .AddPermissionsPolicy(permissions =>
            {
                permissions.AddCamera().None();
                permissions.AddMicrophone().None();
                permissions.AddGeolocation().None();
            })
            .AddStrictTransportSecurity(HstsMaxAgeSeconds, includeSubdomains: true, preload: false)
            .RemoveServerHeader()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self();
                csp.AddStyleSrc().Self();
                csp.AddImgSrc().Self().Data().Blob();
                csp.AddFontSrc().Self();
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().None();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            });

        // The API reference UI (Scalar) and the admin-only Hangfire dashboard run their own inline scripts.
        var referencePolicy = policy.Copy().AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            csp.AddScriptSrc().Self().UnsafeInline();
            csp.AddStyleSrc().Self().UnsafeInline();
            csp.AddImgSrc().Self().Data();
            csp.AddFontSrc().Self().Data();
            csp.AddConnectSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().None();
            csp.AddFrameAncestors().None();
        });

        // User-uploaded content (GET /api/v1/assets/{id}/content): sandboxed, loads nothing, even if opened directly.
        var contentPolicy = policy.Copy().AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().None();
            csp.AddFrameAncestors().None();
            csp.AddSandbox();
        });

        services.AddSecurityHeaderPolicies(builder => builder
            .AddPolicy("reference", referencePolicy)
            .AddPolicy("content", contentPolicy)
            .SetDefaultPolicy(policy)
            .SetPolicySelector(context =>
                (context.HttpContext.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase)
                    || context.HttpContext.Request.Path.StartsWithSegments("/admin/hangfire", StringComparison.OrdinalIgnoreCase))
                    ? context.ConfiguredPolicies["reference"]
                    : context.HttpContext.Request.Path.StartsWithSegments("/api/v1/assets", StringComparison.OrdinalIgnoreCase)
                        ? context.ConfiguredPolicies["content"]
                        : context.DefaultPolicy));
    }

    private static string ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress?.ToString() ?? IPAddress.None.ToString();
}
