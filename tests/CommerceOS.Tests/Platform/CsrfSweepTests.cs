using System.Net;
using CommerceOS.Core.Data;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Platform;

/// <summary>
/// Security-privacy.md row A3: every endpoint a cross-site form could reach refuses a POST that carries the
/// victim's session cookie but no antiforgery token, and nothing changes.
/// </summary>
public sealed class CsrfSweepTests
{
    [Fact]
    public async Task EveryFormPostableEndpoint_RefusesPostsWithoutAntiforgeryToken()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var victim = await BrowserSession.SignUpAsync(app);
        var before = await SnapshotAsync(app);

        var routes = FormPostableRoutes(app).ToList();
        Assert.True(routes.Count >= 25, $"Only {routes.Count} routes found: the sweep lost its endpoints.");

        var accepted = new List<string>();
        foreach (var route in routes)
        {
            var path = route.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{id?}", "", StringComparison.Ordinal)
                .Replace("{id:guid?}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{area}", "image-studio", StringComparison.Ordinal);
            foreach (var handler in new[] { "", "?handler=delete", "?handler=upload", "?handler=revoke" })
            {
                using var response = await victim.Client.PostAsync(path + handler, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Email"] = "attacker@example.com", ["Name"] = "pwned", ["language"] = "zh-CN",
                }), TestContext.Current.CancellationToken);
                // A redirect to sign-in means authorization refused the request before any handler ran.
                var toSignIn = response.Headers.Location?.OriginalString.Contains("/account/login", StringComparison.Ordinal) == true;
                if ((int)response.StatusCode < 400 && !toSignIn)
                {
                    accepted.Add($"{path}{handler} -> {(int)response.StatusCode}");
                }
            }
        }

        Assert.Empty(accepted);
        Assert.Equal(before, await SnapshotAsync(app));
        // The victim is still signed in: nothing (not even logout) happened.
        using var dashboard = await victim.Client.GetAsync("/app/dashboard", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    private static IEnumerable<string> FormPostableRoutes(AppFactory app)
    {
        var sources = app.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        foreach (var endpoint in sources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            if (pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/admin/hangfire", StringComparison.Ordinal)
                || pattern.StartsWith("/health", StringComparison.Ordinal) || pattern.StartsWith("/openapi", StringComparison.Ordinal)
                || pattern.StartsWith("/scalar", StringComparison.Ordinal))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var isPage = endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is not null
                || endpoint.Metadata.OfType<PageActionDescriptor>().Any();
            if (isPage || methods?.Contains("POST") == true)
            {
                yield return pattern;
            }
        }
    }

    private static async Task<string> SnapshotAsync(AppFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var counts = new[]
        {
            await db.Users.CountAsync(), await db.Workspaces.CountAsync(), await db.WorkspaceMembers.CountAsync(),
            await db.ApiKeys.CountAsync(), await db.ConsentRecords.CountAsync(),
        };
        var users = await db.Users.OrderBy(u => u.Id).Select(u => u.Email + "|" + u.DisplayName + "|" + u.PreferredLanguage + "|" + u.PasswordHash).ToListAsync();
        return string.Join(",", counts) + "\n" + string.Join("\n", users);
    }
}
