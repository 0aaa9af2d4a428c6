using CommerceOS.Core.Accounts;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Accounts;

public sealed class ApiKeysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Guid UserId, Guid WorkspaceId)> RegisterAsync(AccountsTestHost host, string email = "mei.chen@example.com")
    {
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(email), confirmEmail: true);
        await using var db = host.Database.CreateContext();
        var workspaceId = (await db.Users.SingleAsync(u => u.Id == userId, Ct)).DefaultWorkspaceId!.Value;
        await ApiTenants.GrantApiAccessAsync(db, workspaceId);
        return (userId, workspaceId);
    }

    private static Task<CreateApiKey.Response> CreateAsync(AccountsTestHost host, Guid userId, Guid workspaceId, string name = "Shopify sync") =>
        host.RunAsync<CreateApiKey, CreateApiKey.Response>(c => c.ExecuteAsync(new(userId, workspaceId, name, "203.0.113.9"), Ct));

    private static Task<ApiKeyPrincipal?> FindAsync(AccountsTestHost host, string? key) =>
        host.RunAsync<ApiKeyAuthenticator, ApiKeyPrincipal?>(a => a.FindAsync(key, Ct));

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateApiKey_WithoutApiAccess_RefusedAndNothingStored(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration("starter@example.com"), confirmEmail: true);
        Guid workspaceId;
        await using (var db = host.Database.CreateContext())
        {
            workspaceId = (await db.Users.SingleAsync(u => u.Id == userId, Ct)).DefaultWorkspaceId!.Value;
        }

        var refused = await CreateAsync(host, userId, workspaceId);

        Assert.Equal([AccountErrors.ApiAccessRequired], refused.Errors.Select(e => e.Code));
        Assert.Null(refused.PlaintextKey);
        await using (var db = host.Database.CreateContext())
        {
            Assert.Equal(0, await db.ApiKeys.CountAsync(Ct));
            // Enterprise has API access by its plan.
#pragma warning disable RS0030 // Test set-up of a named workspace.
            (await db.Subscriptions.IgnoreQueryFilters().SingleAsync(s => s.WorkspaceId == workspaceId, Ct)).PlanCode = Core.Billing.PlanCatalog.Enterprise;
#pragma warning restore RS0030
            await db.SaveChangesAsync(Ct);
        }

        Assert.True((await CreateAsync(host, userId, workspaceId)).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateApiKey_Member_ReturnsPlaintextOnceAndStoresOnlyHash(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);

        var created = await CreateAsync(host, userId, workspaceId);

        Assert.True(created.Succeeded);
        var key = created.PlaintextKey!;
        Assert.Matches("^cos_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key[..12], created.Prefix);
        await using var db = host.Database.CreateContext();
        var stored = await db.ApiKeys.SingleAsync(Ct);
        Assert.Equal(ApiKeyFormat.Hash(key), stored.KeyHash);
        Assert.Matches("^[0-9a-f]{64}$", stored.KeyHash);
        Assert.DoesNotContain(key[12..], stored.KeyHash + stored.Prefix + stored.Name, StringComparison.Ordinal);
        Assert.Equal((userId, workspaceId, "Shopify sync", AccountsTestHost.Start.UtcDateTime), (stored.UserId, stored.WorkspaceId, stored.Name, stored.CreatedAt));
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.ApiKeyCreate, Ct);
        Assert.Equal(($"apikey:{stored.Id}", userId, workspaceId), (audit.Target, audit.UserId, audit.WorkspaceId));

        var second = await CreateAsync(host, userId, workspaceId);
        Assert.NotEqual(key, second.PlaintextKey);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task CreateApiKey_NotMemberOrBadName_Refused(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, _) = await RegisterAsync(host);
        var (_, otherWorkspace) = await RegisterAsync(host, "other@example.com");

        var foreign = await CreateAsync(host, userId, otherWorkspace);
        var blank = await CreateAsync(host, userId, otherWorkspace, "   ");

        Assert.Equal([AccountErrors.NotWorkspaceMember], foreign.Errors.Select(e => e.Code));
        Assert.Null(foreign.PlaintextKey);
        Assert.Equal([AccountErrors.ApiKeyNameInvalid], blank.Errors.Select(e => e.Code));
        await using var db = host.Database.CreateContext();
        Assert.Equal(0, await db.ApiKeys.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FindAsync_ValidKey_ReturnsUserWorkspaceKeyAndRole(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);
        var created = await CreateAsync(host, userId, workspaceId);

        var principal = await FindAsync(host, created.PlaintextKey);

        Assert.Equal(new ApiKeyPrincipal(userId, workspaceId, created.KeyId!.Value, WorkspaceRole.Owner), principal);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FindAsync_UnknownOrMalformedKey_ReturnsNull(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);
        var key = (await CreateAsync(host, userId, workspaceId)).PlaintextKey!;
        var flipped = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await FindAsync(host, flipped));
        Assert.Null(await FindAsync(host, ApiKeyFormat.Generate()));
        Assert.Null(await FindAsync(host, key + "x"));
        Assert.Null(await FindAsync(host, "Bearer " + key));
        Assert.Null(await FindAsync(host, "cos_" + new string('!', 43)));
        Assert.Null(await FindAsync(host, ""));
        Assert.Null(await FindAsync(host, null));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FindAsync_RevokedKey_ReturnsNull(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);
        var created = await CreateAsync(host, userId, workspaceId);
        var (otherUser, _) = await RegisterAsync(host, "other@example.com");

        var byOther = await host.RunAsync<RevokeApiKey, RevokeApiKey.Response>(r => r.ExecuteAsync(new(otherUser, created.KeyId!.Value), Ct));
        Assert.Equal([AccountErrors.ApiKeyNotFound], byOther.Errors.Select(e => e.Code));
        Assert.NotNull(await FindAsync(host, created.PlaintextKey));

        var revoked = await host.RunAsync<RevokeApiKey, RevokeApiKey.Response>(r => r.ExecuteAsync(new(userId, created.KeyId!.Value), Ct));
        var again = await host.RunAsync<RevokeApiKey, RevokeApiKey.Response>(r => r.ExecuteAsync(new(userId, created.KeyId!.Value), Ct));

        Assert.True(revoked.Succeeded && again.Succeeded);
        Assert.Null(await FindAsync(host, created.PlaintextKey));
        await using var db = host.Database.CreateContext();
        Assert.Equal(AccountsTestHost.Start.UtcDateTime, (await db.ApiKeys.SingleAsync(Ct)).RevokedAt);
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == AuditActions.ApiKeyRevoke, Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FindAsync_TerminatedUserOrRemovedMember_ReturnsNull(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);
        var (otherUser, otherWorkspace) = await RegisterAsync(host, "other@example.com");
        var key = (await CreateAsync(host, userId, workspaceId)).PlaintextKey!;
        var otherKey = (await CreateAsync(host, otherUser, otherWorkspace)).PlaintextKey!;

        await using (var db = host.Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == userId, Ct);
            user.TerminatedAt = AccountsTestHost.Start.UtcDateTime;
            db.WorkspaceMembers.Remove(await db.WorkspaceMembers.SingleAsync(m => m.UserId == otherUser, Ct));
            await db.SaveChangesAsync(Ct);
        }

        Assert.Null(await FindAsync(host, key));
        Assert.Null(await FindAsync(host, otherKey));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task FindAsync_RepeatedUse_UpdatesLastUsedAtAtMostOncePerMinute(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);
        var key = (await CreateAsync(host, userId, workspaceId)).PlaintextKey!;
        async Task<DateTime?> LastUsedAsync()
        {
            await using var db = host.Database.CreateContext();
            return (await db.ApiKeys.SingleAsync(Ct)).LastUsedAt;
        }

        Assert.Null(await LastUsedAsync());
        var first = AccountsTestHost.Start.UtcDateTime;
        await FindAsync(host, key);
        Assert.Equal(first, await LastUsedAsync());

        host.Time.Advance(TimeSpan.FromSeconds(59));
        await FindAsync(host, key);
        Assert.Equal(first, await LastUsedAsync());

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await FindAsync(host, key);
        Assert.Equal(first.AddMinutes(1), await LastUsedAsync());
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ListApiKeys_OwnKeysNewestFirstWithoutSecrets(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (userId, workspaceId) = await RegisterAsync(host);
        var (otherUser, otherWorkspace) = await RegisterAsync(host, "other@example.com");
        var older = await CreateAsync(host, userId, workspaceId, "older");
        host.Time.Advance(TimeSpan.FromMinutes(5));
        var newer = await CreateAsync(host, userId, workspaceId, "newer");
        await CreateAsync(host, otherUser, otherWorkspace, "someone else's");
        await host.RunAsync<RevokeApiKey, RevokeApiKey.Response>(r => r.ExecuteAsync(new(userId, older.KeyId!.Value), Ct));

        var list = await host.RunAsync<ListApiKeys, IReadOnlyList<ListApiKeys.Item>>(l => l.ExecuteAsync(new(userId), Ct));

        Assert.Equal(["newer", "older"], list.Select(k => k.Name));
        Assert.Equal([newer.Prefix, older.Prefix], list.Select(k => k.Prefix));
        Assert.Null(list[0].RevokedAt);
        Assert.NotNull(list[1].RevokedAt);
    }
}
