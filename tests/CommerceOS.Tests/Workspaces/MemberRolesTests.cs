using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Accounts;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Workspaces;

/// <summary>ChangeMemberRole and RemoveMember: who may change whom, and the last Owner rule.</summary>
public sealed class MemberRolesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<Result> ChangeAsync(AccountsTestHost host, Guid actor, Guid workspaceId, Guid target, WorkspaceRole role) =>
        TeamScope.AsAsync<ChangeMemberRole, Result>(host, actor, workspaceId, c => c.HandleAsync(new(target, role), Ct));

    private static Task<Result> RemoveAsync(AccountsTestHost host, Guid actor, Guid workspaceId, Guid target) =>
        TeamScope.AsAsync<RemoveMember, Result>(host, actor, workspaceId, r => r.HandleAsync(new(target), Ct));

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChangeMemberRole_RolesMatrix_NeverAboveOwnRoleAndNeverWithoutAnOwner(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var editor = await TeamScope.AddMemberAsync(host, workspaceId, "editor@example.com", WorkspaceRole.Editor);
        var admin = await TeamScope.AddMemberAsync(host, workspaceId, "admin@example.com", WorkspaceRole.Admin);
        var viewer = await TeamScope.AddMemberAsync(host, workspaceId, "viewer@example.com", WorkspaceRole.Viewer);

        Assert.Equal(ResultStatus.Forbidden, (await ChangeAsync(host, editor, workspaceId, viewer, WorkspaceRole.Editor)).Status);
        Assert.Equal(WorkspaceErrors.RoleAboveOwn, (await ChangeAsync(host, admin, workspaceId, editor, WorkspaceRole.Owner)).Errors.Single().Code);
        Assert.Equal(WorkspaceErrors.MemberOutranks, (await ChangeAsync(host, admin, workspaceId, owner, WorkspaceRole.Viewer)).Errors.Single().Code);
        Assert.True((await ChangeAsync(host, admin, workspaceId, viewer, WorkspaceRole.Admin)).IsSuccess);
        Assert.Equal(ResultStatus.NotFound, (await ChangeAsync(host, admin, workspaceId, Guid.CreateVersion7(), WorkspaceRole.Viewer)).Status);
        var lastOwner = await ChangeAsync(host, owner, workspaceId, owner, WorkspaceRole.Admin);
        Assert.Equal((ResultStatus.Conflict, WorkspaceErrors.LastOwner), (lastOwner.Status, lastOwner.Errors.Single().Code));
        Assert.True((await ChangeAsync(host, owner, workspaceId, editor, WorkspaceRole.Owner)).IsSuccess);
        Assert.True((await ChangeAsync(host, owner, workspaceId, owner, WorkspaceRole.Viewer)).IsSuccess);

        Assert.Equal(WorkspaceRole.Viewer, await TeamScope.RoleAsync(host, owner, workspaceId));
        Assert.Equal(WorkspaceRole.Owner, await TeamScope.RoleAsync(host, editor, workspaceId));
        Assert.Equal(WorkspaceRole.Admin, await TeamScope.RoleAsync(host, viewer, workspaceId));
        Assert.Equal(WorkspaceRole.Admin, await TeamScope.RoleAsync(host, admin, workspaceId));
        await using var db = host.Database.CreateContext();
        Assert.Equal(3, await db.AuditEvents.CountAsync(a => a.Action == WorkspaceAuditActions.RoleChange && a.WorkspaceId == workspaceId, Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RemoveMember_RolesMatrix_AdminsRemoveAnyoneLeavesButNeverTheLastOwner(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var editor = await TeamScope.AddMemberAsync(host, workspaceId, "editor@example.com", WorkspaceRole.Editor);
        var admin = await TeamScope.AddMemberAsync(host, workspaceId, "admin@example.com", WorkspaceRole.Admin);
        var viewer = await TeamScope.AddMemberAsync(host, workspaceId, "viewer@example.com", WorkspaceRole.Viewer);

        Assert.Equal(ResultStatus.Forbidden, (await RemoveAsync(host, viewer, workspaceId, editor)).Status);
        Assert.Equal(WorkspaceErrors.MemberOutranks, (await RemoveAsync(host, admin, workspaceId, owner)).Errors.Single().Code);
        var ownerLeaves = await RemoveAsync(host, owner, workspaceId, owner);
        Assert.Equal((ResultStatus.Conflict, WorkspaceErrors.LastOwner), (ownerLeaves.Status, ownerLeaves.Errors.Single().Code));
        Assert.True((await RemoveAsync(host, viewer, workspaceId, viewer)).IsSuccess);
        Assert.True((await RemoveAsync(host, admin, workspaceId, editor)).IsSuccess);

        Assert.Null(await TeamScope.RoleAsync(host, viewer, workspaceId));
        Assert.Null(await TeamScope.RoleAsync(host, editor, workspaceId));
        Assert.Equal(WorkspaceRole.Owner, await TeamScope.RoleAsync(host, owner, workspaceId));
        await using var db = host.Database.CreateContext();
        Assert.Equal(2, await db.AuditEvents.CountAsync(a => a.Action == WorkspaceAuditActions.MemberRemove, Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RemoveMember_Removed_KeysRevokedAndDefaultWorkspaceMovesToOwnOne(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var (member, ownWorkspace) = await TeamScope.RegisterAsync(host, "li.wei@example.com");
        await TeamScope.InviteAsync(host, owner, workspaceId, "li.wei@example.com", WorkspaceRole.Editor);
        Assert.True((await TeamScope.AcceptAsync(host, member, TeamScope.TokenSentTo(host, "li.wei@example.com"))).IsSuccess);
        await using (var db = host.Database.CreateContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == member, Ct);
            user.DefaultWorkspaceId = workspaceId;
            await db.SaveChangesAsync(Ct);
        }

        await using (var db = host.Database.CreateContext())
        {
            await ApiTenants.GrantApiAccessAsync(db, workspaceId);
        }

        var key = await host.RunAsync<CreateApiKey, CreateApiKey.Response>(c => c.ExecuteAsync(new(member, workspaceId, "sync"), Ct));
        Assert.NotNull(await host.RunAsync<ApiKeyAuthenticator, ApiKeyPrincipal?>(a => a.FindAsync(key.PlaintextKey, Ct)));

        Assert.True((await RemoveAsync(host, owner, workspaceId, member)).IsSuccess);

        Assert.Null(await host.RunAsync<ApiKeyAuthenticator, ApiKeyPrincipal?>(a => a.FindAsync(key.PlaintextKey, Ct)));
        await using var check = host.Database.CreateContext();
        Assert.NotNull((await check.ApiKeys.SingleAsync(k => k.Id == key.KeyId, Ct)).RevokedAt);
        Assert.Equal(ownWorkspace, (await check.Users.SingleAsync(u => u.Id == member, Ct)).DefaultWorkspaceId);
    }
}
