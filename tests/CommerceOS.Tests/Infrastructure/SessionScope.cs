using CommerceOS.Core.Data;
using CommerceOS.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Infrastructure;

/// <summary>Runs Core use cases inside the host's container, acting in a signed-in session's workspace (as its owner).</summary>
public static class SessionScope
{
    public static async Task<T> InWorkspaceAsync<T>(this AppFactory app, BrowserSession session, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Set(session.WorkspaceId, session.UserId, WorkspaceRole.Owner);
        return await action(scope.ServiceProvider);
    }

    public static Task<T> QueryAsync<T>(this AppFactory app, BrowserSession session, Func<AppDbContext, Task<T>> query) =>
        app.InWorkspaceAsync(session, services => query(services.GetRequiredService<AppDbContext>()));
}
