using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Accounts;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Workspaces;

public sealed class AcceptInvitationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AcceptInvitation_InvitedUser_JoinsWithRoleOnceAndCanSwitch(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var (invitee, ownWorkspace) = await TeamScope.RegisterAsync(host, "li.wei@example.com", name: "Li Wei");
        await TeamScope.InviteAsync(host, owner, workspaceId, "li.wei@example.com", WorkspaceRole.Editor);
        var token = TeamScope.TokenSentTo(host, "li.wei@example.com");
        host.Time.Advance(TimeSpan.FromDays(6));

        var accepted = await TeamScope.AcceptAsync(host, invitee, token);
        var again = await TeamScope.AcceptAsync(host, invitee, token);

        Assert.Equal((workspaceId, WorkspaceRole.Editor), (accepted.Value.WorkspaceId, accepted.Value.Role));
        Assert.Equal(accepted.Value, again.Value);
        Assert.Equal(WorkspaceRole.Editor, await TeamScope.RoleAsync(host, invitee, workspaceId));
        await using (var db = host.Database.CreateContext(workspaceId))
        {
            var invitation = await db.WorkspaceInvitations.SingleAsync(Ct);
            Assert.Equal(AccountsTestHost.Start.UtcDateTime.AddDays(6), invitation.AcceptedAt);
            Assert.Equal(1, await db.WorkspaceMembers.CountAsync(m => m.UserId == invitee && m.WorkspaceId == workspaceId, Ct));
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Action == WorkspaceAuditActions.InvitationAccept && a.Outcome == AuditOutcomes.Success, Ct));
        }

        var members = await TeamScope.AsAsync<ListMembers, Result<ListMembers.Response>>(host, invitee, workspaceId, l => l.HandleAsync(Ct));
        Assert.Equal([("owner@example.com", WorkspaceRole.Owner, false), ("li.wei@example.com", WorkspaceRole.Editor, true)],
            members.Value.Members.Select(m => (m.Email, m.Role, m.IsCurrentUser)));
        Assert.Empty(members.Value.Invitations);

        var mine = await host.RunAsync<ListMyWorkspaces, IReadOnlyList<ListMyWorkspaces.Item>>(l => l.HandleAsync(new(invitee), Ct));
        Assert.Equal(new[] { ownWorkspace, workspaceId }.Order(), mine.Select(w => w.WorkspaceId).Order());
        var switched = await host.RunAsync<SwitchWorkspace, Result<ListMyWorkspaces.Item>>(s => s.HandleAsync(new(invitee, workspaceId), Ct));
        Assert.Equal(WorkspaceRole.Editor, switched.Value.Role);
        var (_, strangersWorkspace) = await TeamScope.RegisterAsync(host, "stranger@example.com");
        var foreign = await host.RunAsync<SwitchWorkspace, Result<ListMyWorkspaces.Item>>(s => s.HandleAsync(new(invitee, strangersWorkspace), Ct));
        Assert.Equal(WorkspaceErrors.NotMember, Assert.Single(foreign.Errors).Code);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AcceptInvitation_WrongUser_RefusedWithInvitedAddressAndTokenStaysUsable(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var (invitee, _) = await TeamScope.RegisterAsync(host, "li.wei@example.com");
        var (intruder, _) = await TeamScope.RegisterAsync(host, "intruder@example.com");
        await TeamScope.InviteAsync(host, owner, workspaceId, "li.wei@example.com", WorkspaceRole.Viewer);
        var token = TeamScope.TokenSentTo(host, "li.wei@example.com");

        var wrong = await TeamScope.AcceptAsync(host, intruder, token);

        var error = Assert.Single(wrong.Errors);
        Assert.Equal((WorkspaceErrors.InvitationWrongUser, "li.wei@example.com"), (error.Code, Assert.Single(error.Args)));
        Assert.Null(await TeamScope.RoleAsync(host, intruder, workspaceId));
        Assert.True((await TeamScope.AcceptAsync(host, invitee, token)).IsSuccess);
        var late = await TeamScope.AcceptAsync(host, intruder, token);
        Assert.Equal(WorkspaceErrors.InvitationWrongUser, Assert.Single(late.Errors).Code);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AcceptInvitation_ExpiredRevokedUnknownOrReused_Refused(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var (late, _) = await TeamScope.RegisterAsync(host, "late@example.com");
        var (revoked, _) = await TeamScope.RegisterAsync(host, "revoked@example.com");
        var (leaver, _) = await TeamScope.RegisterAsync(host, "leaver@example.com");
        await TeamScope.InviteAsync(host, owner, workspaceId, "late@example.com", WorkspaceRole.Viewer);
        var revokedInvitation = await TeamScope.InviteAsync(host, owner, workspaceId, "revoked@example.com", WorkspaceRole.Viewer);
        await TeamScope.InviteAsync(host, owner, workspaceId, "leaver@example.com", WorkspaceRole.Viewer);
        var revokeResult = await TeamScope.AsAsync<RevokeInvitation, Result>(host, owner, workspaceId, r => r.HandleAsync(new(revokedInvitation.Value.InvitationId), Ct));
        Assert.True(revokeResult.IsSuccess);

        Assert.True((await TeamScope.AcceptAsync(host, leaver, TeamScope.TokenSentTo(host, "leaver@example.com"))).IsSuccess);
        Assert.True((await TeamScope.AsAsync<RemoveMember, Result>(host, leaver, workspaceId, r => r.HandleAsync(new(leaver), Ct))).IsSuccess);
        host.Time.Advance(TimeSpan.FromDays(7));

        var expired = await TeamScope.AcceptAsync(host, late, TeamScope.TokenSentTo(host, "late@example.com"));
        var withdrawn = await TeamScope.AcceptAsync(host, revoked, TeamScope.TokenSentTo(host, "revoked@example.com"));
        var reused = await TeamScope.AcceptAsync(host, leaver, TeamScope.TokenSentTo(host, "leaver@example.com"));
        var unknown = await TeamScope.AcceptAsync(host, late, InvitationTokens.Generate());
        var garbage = await TeamScope.AcceptAsync(host, late, "x' OR 1=1 --");

        Assert.Equal(WorkspaceErrors.InvitationExpired, Assert.Single(expired.Errors).Code);
        Assert.Equal(WorkspaceErrors.InvitationInvalid, Assert.Single(withdrawn.Errors).Code);
        Assert.Equal(WorkspaceErrors.InvitationUsed, Assert.Single(reused.Errors).Code);
        Assert.Equal(WorkspaceErrors.InvitationInvalid, Assert.Single(unknown.Errors).Code);
        Assert.Equal(WorkspaceErrors.InvitationInvalid, Assert.Single(garbage.Errors).Code);
        foreach (var user in new[] { late, revoked, leaver })
        {
            Assert.Null(await TeamScope.RoleAsync(host, user, workspaceId));
        }
    }
}
