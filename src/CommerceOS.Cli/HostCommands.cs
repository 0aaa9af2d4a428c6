using System.CommandLine;
using CommerceOS.Core.Data;
using CommerceOS.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CommerceOS.Cli;

internal static class HostCommands
{
    public static Command Serve()
    {
        var command = new Command("serve", "Run CommerceOS (web and, unless --role web, job workers). Extra options go to the host, e.g. --urls http://localhost:5080 --role web.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var app = CommerceOSWebHost.Build([.. result.UnmatchedTokens]);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    public static Command Worker()
    {
        var command = new Command("worker", "Run only the job workers (same as serve --role worker).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var app = CommerceOSWebHost.Build([.. result.UnmatchedTokens, "--role", "worker"]);
            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    public static Command Migrate()
    {
        var command = new Command("migrate", "Apply all pending database migrations and exit.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var app = CommerceOSWebHost.Build([.. result.UnmatchedTokens, "--Database:MigrateOnStart", "false"]);
            await using var scope = app.Services.CreateAsyncScope();
            var database = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database;
            var pending = (await database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await database.MigrateAsync(cancellationToken);
            await result.InvocationConfiguration.Output.WriteLineAsync($"Applied {pending.Count} migration(s); the database is up to date.");
            return 0;
        });
        return command;
    }
}
