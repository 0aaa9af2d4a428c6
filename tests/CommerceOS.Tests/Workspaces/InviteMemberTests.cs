using System.Security.Cryptography;
using System.Text;
using CommerceOS.Core.Common;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Accounts;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Workspaces;

public sealed class InviteMemberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InviteMember_RolesMatrix_OnlyAdminsAndOwnersWithinTheirOwnRole(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var viewer = await TeamScope.AddMemberAsync(host, workspaceId, "viewer@example.com", WorkspaceRole.Viewer);
        var editor = await TeamScope.AddMemberAsync(host, workspaceId, "editor@example.com", WorkspaceRole.Editor);
        var admin = await TeamScope.AddMemberAsync(host, workspaceId, "admin@example.com", WorkspaceRole.Admin);

        var byViewer = await TeamScope.InviteAsync(host, viewer, workspaceId, "a@example.com", WorkspaceRole.Viewer);
        var byEditor = await TeamScope.InviteAsync(host, editor, workspaceId, "b@example.com", WorkspaceRole.Viewer);
        var adminMakesOwner = await TeamScope.InviteAsync(host, admin, workspaceId, "c@example.com", WorkspaceRole.Owner);
        var adminMakesAdmin = await TeamScope.InviteAsync(host, admin, workspaceId, "d@example.com", WorkspaceRole.Admin);
        var ownerMakesOwner = await TeamScope.InviteAsync(host, owner, workspaceId, "e@example.com", WorkspaceRole.Owner);

        Assert.Equal(ResultStatus.Forbidden, byViewer.Status);
        Assert.Equal(ResultStatus.Forbidden, byEditor.Status);
        Assert.Equal(WorkspaceErrors.RoleAboveOwn, Assert.Single(adminMakesOwner.Errors).Code);
        Assert.True(adminMakesAdmin.IsSuccess);
        Assert.True(ownerMakesOwner.IsSuccess);
        await using var db = host.Database.CreateContext(workspaceId);
        Assert.Equal(["d@example.com", "e@example.com"], await db.WorkspaceInvitations.OrderBy(i => i.Email).Select(i => i.Email).ToListAsync(Ct));
        Assert.Equal(2, host.Mail.Sent.Count(m => m.TextBody.Contains(InvitationTokens.AcceptPath, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InviteMember_Valid_StoresOnlyHashAndMailsLinkInInvitersLanguage(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com", language: "zh-CN", name: "陈美");

        var invited = await TeamScope.InviteAsync(host, owner, workspaceId, "  li.wei@example.com ", WorkspaceRole.Editor);

        Assert.True(invited.IsSuccess, invited.ToString());
        var message = host.Mail.Sent.Single(m => m.To == "li.wei@example.com");
        Assert.Contains("陈美 邀请您加入", message.Subject, StringComparison.Ordinal);
        Assert.Contains("陈美's workspace", message.Subject, StringComparison.Ordinal);
        var token = TeamScope.TokenSentTo(host, "li.wei@example.com");
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Contains($"https://app.example.test/account/accept-invitation?token={token}", message.TextBody, StringComparison.Ordinal);

        await using var db = host.Database.CreateContext(workspaceId);
        var row = await db.WorkspaceInvitations.SingleAsync(Ct);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), row.TokenHash);
        Assert.Equal((workspaceId, "li.wei@example.com", WorkspaceRole.Editor, owner), (row.WorkspaceId, row.Email, row.Role, row.InvitedByUserId));
        Assert.Equal(AccountsTestHost.Start.UtcDateTime.AddDays(7), row.ExpiresAt);
        Assert.Equal(row.ExpiresAt, invited.Value.ExpiresAt);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == WorkspaceAuditActions.Invite, Ct);
        Assert.Equal((owner, (Guid?)workspaceId), (audit.UserId!.Value, audit.WorkspaceId));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InviteMember_SameAddressAgain_ReplacesThePendingInvitation(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        var (invitee, _) = await TeamScope.RegisterAsync(host, "li.wei@example.com");

        await TeamScope.InviteAsync(host, owner, workspaceId, "li.wei@example.com", WorkspaceRole.Viewer);
        var firstToken = TeamScope.TokenSentTo(host, "li.wei@example.com");
        await TeamScope.InviteAsync(host, owner, workspaceId, "LI.WEI@example.com", WorkspaceRole.Editor);
        var secondToken = TeamScope.TokenSentTo(host, "LI.WEI@example.com");

        var list = await TeamScope.AsAsync<ListMembers, Result<ListMembers.Response>>(host, owner, workspaceId, l => l.HandleAsync(Ct));
        var pending = Assert.Single(list.Value.Invitations);
        Assert.Equal(WorkspaceRole.Editor, pending.Role);
        var withOld = await TeamScope.AcceptAsync(host, invitee, firstToken);
        Assert.Equal(WorkspaceErrors.InvitationInvalid, Assert.Single(withOld.Errors).Code);
        var withNew = await TeamScope.AcceptAsync(host, invitee, secondToken);
        Assert.Equal(WorkspaceRole.Editor, withNew.Value.Role);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task InviteMember_ExistingMemberOrBadAddress_Refused(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var (owner, workspaceId) = await TeamScope.RegisterAsync(host, "owner@example.com");
        await TeamScope.AddMemberAsync(host, workspaceId, "editor@example.com", WorkspaceRole.Editor);

        var member = await TeamScope.InviteAsync(host, owner, workspaceId, "Editor@Example.com", WorkspaceRole.Viewer);
        var bad = await TeamScope.InviteAsync(host, owner, workspaceId, "not an address", WorkspaceRole.Viewer);
        var badRole = await TeamScope.InviteAsync(host, owner, workspaceId, "x@example.com", (WorkspaceRole)9);

        Assert.Equal((ResultStatus.Conflict, WorkspaceErrors.AlreadyMember), (member.Status, Assert.Single(member.Errors).Code));
        Assert.Equal(WorkspaceErrors.EmailInvalid, Assert.Single(bad.Errors).Code);
        Assert.Equal(WorkspaceErrors.RoleInvalid, Assert.Single(badRole.Errors).Code);
        await using var db = host.Database.CreateContext(workspaceId);
        Assert.Equal(0, await db.WorkspaceInvitations.CountAsync(Ct));
    }
}
