using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CommerceOS.Core.Workspaces;

public static class WorkspacesServiceCollectionExtensions
{
    /// <summary>
    /// Registers the team use cases (invite, list, change role, remove, revoke, accept, switch).
    /// Requires <c>AddDatabase</c>, <c>AddEmail</c> (or another <see cref="Email.IEmailSender"/>) and
    /// <c>AddAccounts</c> (audit log, <see cref="Accounts.AccountsOptions.PublicBaseUrl"/> for links).
    /// </summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<InviteMember>();
        services.AddScoped<ListMembers>();
        services.AddScoped<ChangeMemberRole>();
        services.AddScoped<RemoveMember>();
        services.AddScoped<RevokeInvitation>();
        services.AddScoped<AcceptInvitation>();
        services.AddScoped<ListMyWorkspaces>();
        services.AddScoped<SwitchWorkspace>();
        return services;
    }
}
