using System.Net.Http.Headers;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Infrastructure;

/// <summary>A registered user with their own workspace and an API key, and a client that sends it.</summary>
public sealed record ApiTenant(Guid UserId, Guid WorkspaceId, string ApiKey, HttpClient Client) : IDisposable
{
    public void Dispose() => Client.Dispose();
}

public static class ApiTenants
{
    /// <summary>
    /// Registers a user through the real <see cref="RegisterUser"/> use case (which creates the
    /// workspace), creates an API key with <see cref="CreateApiKey"/> and returns an https client
    /// carrying <c>Authorization: Bearer cos_...</c>. The workspace stays on Starter with API access granted
    /// on top (as an administrator would grant it), so tests of plan limits and gates see Starter.
    /// </summary>
    public static async Task<ApiTenant> CreateApiTenantAsync(this AppFactory app, string? email = null)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        await using var scope = app.Services.CreateAsyncScope();
        var register = scope.ServiceProvider.GetRequiredService<RegisterUser>();
        var registered = await register.ExecuteAsync(
            new RegisterUser.Request(email, "correct horse battery staple 42", "API Tester", "en", true, LegalDocuments.TermsVersion, LegalDocuments.PrivacyVersion),
            cancellationToken);
        Assert.True(registered.Succeeded, string.Join(", ", registered.Errors));

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var normalized = email.ToUpperInvariant();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        var workspaceId = user.DefaultWorkspaceId ?? throw new InvalidOperationException("Registration created no workspace.");

        await GrantApiAccessAsync(db, workspaceId);
        var createKey = scope.ServiceProvider.GetRequiredService<CreateApiKey>();
        var key = await createKey.ExecuteAsync(new CreateApiKey.Request(user.Id, workspaceId, "tests"), cancellationToken);
        Assert.True(key.Errors.Count == 0, string.Join(", ", key.Errors));

        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.PlaintextKey);
        return new ApiTenant(user.Id, workspaceId, key.PlaintextKey!, client);
    }

    /// <summary>What <c>SetEnterprisePlan</c>'s grants do for an administrator, without one: API access on, or off again.</summary>
    public static async Task GrantApiAccessAsync(AppDbContext db, Guid workspaceId, bool granted = true)
    {
#pragma warning disable RS0030 // Test set-up of a named workspace.
        var subscription = await db.Subscriptions.IgnoreQueryFilters().SingleAsync(s => s.WorkspaceId == workspaceId, TestContext.Current.CancellationToken);
#pragma warning restore RS0030
        subscription.GrantedFeatures = granted
            ? [.. subscription.GrantedFeatures.Union([Core.Billing.PlanFeatures.ApiAccess], StringComparer.Ordinal)]
            : [.. subscription.GrantedFeatures.Where(f => f != Core.Billing.PlanFeatures.ApiAccess)];
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
