using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Workspaces;

/// <summary>Registers people, adds them to workspaces and runs team use cases as one of them.</summary>
internal static class TeamScope
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Registers (and confirms) a user with their own workspace, where they are Owner.</summary>
    public static async Task<(Guid UserId, Guid WorkspaceId)> RegisterAsync(AccountsTestHost host, string email, string language = "en", string name = "Mei Chen")
    {
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(email, language, name), confirmEmail: true);
        await using var db = host.Database.CreateContext();
        return (userId, (await db.Users.SingleAsync(u => u.Id == userId, Ct)).DefaultWorkspaceId!.Value);
    }

    /// <summary>Registers a user and makes them a member of <paramref name="workspaceId"/> with <paramref name="role"/>.</summary>
    public static async Task<Guid> AddMemberAsync(AccountsTestHost host, Guid workspaceId, string email, WorkspaceRole role)
    {
        var (userId, _) = await RegisterAsync(host, email);
        await using var db = host.Database.CreateContext();
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = userId, Role = role, JoinedAt = AccountsTestHost.Start.UtcDateTime });
        await db.SaveChangesAsync(Ct);
        return userId;
    }

    /// <summary>Runs a use case in a fresh scope acting as <paramref name="userId"/> in <paramref name="workspaceId"/> with their stored role.</summary>
    public static async Task<TResult> AsAsync<TService, TResult>(AccountsTestHost host, Guid userId, Guid workspaceId, Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = host.Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var role = await db.WorkspaceMembers.Where(m => m.UserId == userId && m.WorkspaceId == workspaceId).Select(m => m.Role).SingleAsync(Ct);
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(workspaceId, userId, role);
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static Task<Core.Common.Result<InviteMember.Invited>> InviteAsync(AccountsTestHost host, Guid userId, Guid workspaceId, string email, WorkspaceRole role) =>
        AsAsync<InviteMember, Core.Common.Result<InviteMember.Invited>>(host, userId, workspaceId, u => u.HandleAsync(new(email, role), Ct));

    public static Task<Core.Common.Result<AcceptInvitation.Accepted>> AcceptAsync(AccountsTestHost host, Guid userId, string token) =>
        host.RunAsync<AcceptInvitation, Core.Common.Result<AcceptInvitation.Accepted>>(u => u.HandleAsync(new(userId, token), Ct));

    /// <summary>The token of the newest invitation e-mail sent to <paramref name="to"/>.</summary>
    public static string TokenSentTo(AccountsTestHost host, string to)
    {
        EmailMessage message = host.Mail.Sent.Last(m => string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase) && m.TextBody.Contains(InvitationTokens.AcceptPath, StringComparison.Ordinal));
        return AccountsTestHost.LinkQueryValue(message, "token");
    }

    public static async Task<WorkspaceRole?> RoleAsync(AccountsTestHost host, Guid userId, Guid workspaceId)
    {
        await using var db = host.Database.CreateContext();
        return await db.WorkspaceMembers.Where(m => m.UserId == userId && m.WorkspaceId == workspaceId).Select(m => (WorkspaceRole?)m.Role).SingleOrDefaultAsync(Ct);
    }
}
