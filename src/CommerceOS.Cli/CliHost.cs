using System.CommandLine;
using System.Globalization;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Web;
using CommerceOS.Web.Shared.Localization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Cli;

/// <summary>
/// The host for one data command: built with <see cref="CommerceOSWebHost.Build"/> from the command's
/// unmatched tokens (host configuration), not started (no HTTP, no job workers) unless a waiting command such as
/// <c>cos run --wait</c> calls <see cref="StartAsync"/>, with the schema
/// migrated first when <c>Database:MigrateOnStart</c> says so (as <c>cos serve</c> would at start).
/// </summary>
internal sealed class CliHost : IAsyncDisposable
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo(StringCatalog.English);

    private readonly WebApplication _app;

    private CliHost(WebApplication app, ParseResult parseResult)
    {
        _app = app;
        Output = parseResult.InvocationConfiguration.Output;
        Error = parseResult.InvocationConfiguration.Error;
        Strings = app.Services.GetRequiredService<StringCatalog>();
    }

    public IServiceProvider Services => _app.Services;

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public StringCatalog Strings { get; }

    /// <param name="overrides">Host configuration the command imposes, after the operator's (e.g. the role of <c>cos run --wait</c>).</param>
    public static async Task<CliHost> OpenAsync(ParseResult parseResult, CancellationToken cancellationToken, IReadOnlyList<string>? overrides = null)
    {
        // Informational host logs are noise for a one-shot command; a later --Serilog:... argument wins.
        string[] args = ["--Serilog:MinimumLevel:Default", "Warning", .. parseResult.UnmatchedTokens, .. overrides ?? []];
        var app = CommerceOSWebHost.Build(args);
        try
        {
            var provider = app.Configuration[$"{DatabaseOptions.Section}:Provider"] ?? DatabaseOptions.Sqlite;
            if (app.Configuration.GetValue($"{DatabaseOptions.Section}:MigrateOnStart", provider == DatabaseOptions.Sqlite))
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync(cancellationToken);
            }

            return new CliHost(app, parseResult);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The English text of a Core error code with its arguments, followed by the code.</summary>
    public string Describe(string code, IReadOnlyList<string> arguments)
    {
        var text = Strings.Find(code, English);
        if (text is null)
        {
            return code;
        }

        return $"{string.Format(CultureInfo.InvariantCulture, text, [.. arguments])} [{code}]";
    }

    public string Describe(AccountError error) => Describe(error.Code, error.Arguments);

    public string Describe(FieldError error) =>
        error.Field.Length == 0 ? Describe(error.Code, error.Args) : $"{error.Field}: {Describe(error.Code, error.Args)}";

    /// <summary>Writes <c>error: ...</c> lines to the error writer.</summary>
    public async Task FailAsync(IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            await Error.WriteLineAsync($"error: {message}");
        }
    }

    public Task FailAsync(string message) => FailAsync([message]);

    /// <summary>The active (not terminated) user with this address, or null (after writing the error).</summary>
    public async Task<AppUser?> FindUserAsync(UserManager<AppUser> users, string email)
    {
        if (!AccountInput.TryNormalizeEmail(email, out var address))
        {
            await FailAsync(Describe(new AccountError(AccountErrors.EmailInvalid)));
            return null;
        }

        var user = await users.FindByEmailAsync(address);
        if (user is null || user.TerminatedAt is not null)
        {
            await FailAsync(Describe(CliErrors.UserNotFound, [address]));
            return null;
        }

        return user;
    }

    /// <summary>
    /// Starts the host's hosted services (job workers and the workflow engine for roles <c>all</c> and <c>worker</c>), for a
    /// command that waits for work to finish without a server running.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>Messages of the CLI itself (texts in <c>Resources/{en,zh-CN}/Cli.json</c>).</summary>
internal static class CliErrors
{
    public const string UserNotFound = "cli.user_not_found";
    public const string EmailTaken = "cli.email_taken";
    public const string EmailRequired = "cli.email_required";
    public const string NoUsers = "cli.no_users";
    public const string NoWorkspace = "cli.no_workspace";
    public const string FileNotFound = "cli.file_not_found";
    public const string FileUnreadable = "cli.file_unreadable";
    public const string ConfirmFailed = "cli.confirm_failed";
}
