using System.CommandLine;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Data;
using CommerceOS.Core.Privacy;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Cli;

/// <summary><c>cos user create</c> and <c>cos apikey create</c>.</summary>
internal static class AccountCommands
{
    /// <summary>Printed by <c>cos user create</c>: the operator vouches for the consents recorded in the person's name.</summary>
    public static string OperatorNotice(string? termsVersion = null, string? privacyVersion = null) =>
        $"Operator-created account: by running this command you confirm that the person is 18 or older and has accepted "
        + $"the current Terms of Service{Version(termsVersion)} and Privacy Policy{Version(privacyVersion)}. "
        + "These consents are recorded in the person's name.";

    private static string Version(string? version) => version is null ? "" : $" ({version})";

    public static Command User()
    {
        var email = new Option<string>("--email") { Description = "The person's e-mail address (their sign-in name).", Required = true };
        var password = new Option<string>("--password")
        {
            Description = "Their password (password policy applies). '-' reads it from the first line of standard input, which keeps it out of the shell history.",
            Required = true,
        };
        var name = new Option<string?>("--name") { Description = "Display name (default: the part of the address before '@')." };
        var language = new Option<string>("--language") { Description = "en or zh-CN (e-mails and pages).", DefaultValueFactory = _ => SupportedLanguages.English };
        var region = new Option<string>("--region") { Description = "Data region of the new workspace: us, sg or eu.", DefaultValueFactory = _ => DataRegions.Us };
        var admin = new Option<bool>("--admin") { Description = "Make the user a CommerceOS administrator." };
        var create = new Command(
            "create",
            "Create a user whose e-mail address is already confirmed, with their workspace, a Starter subscription and the "
            + "Terms / Privacy / 18+ consent records. " + OperatorNotice())
        {
            email, password, name, language, region, admin,
        };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction(async (result, cancellationToken) =>
        {
            var secret = result.GetRequiredValue(password);
            if (secret == "-")
            {
                secret = await Console.In.ReadLineAsync(cancellationToken) ?? "";
            }

            return await CreateUserAsync(
                result,
                result.GetRequiredValue(email),
                secret,
                result.GetValue(name),
                result.GetRequiredValue(language),
                result.GetRequiredValue(region),
                result.GetValue(admin),
                cancellationToken);
        });

        return new Command("user", "Manage user accounts.") { create };
    }

    public static Command ApiKey()
    {
        var email = new Option<string>("--email") { Description = "The key acts as this user in their default workspace.", Required = true };
        var name = new Option<string>("--name") { Description = "A name to recognise the key by.", DefaultValueFactory = _ => "cos cli" };
        var grant = new Option<bool>("--grant-api-access")
        {
            Description = "First grant API access to the workspace on top of its plan (as an administrator's grant on /admin/workspaces). Without it, only an Enterprise workspace or one granted API access gets a key.",
        };
        var create = new Command("create", "Create an API key and print it (only the key, on standard output). It is shown once and stored only as a hash.")
        {
            email, name, grant,
        };
        create.TreatUnmatchedTokensAsErrors = false;
        create.SetAction((result, cancellationToken) =>
            CreateApiKeyAsync(result, result.GetRequiredValue(email), result.GetRequiredValue(name), result.GetValue(grant), cancellationToken));
        return new Command("apikey", "Manage API keys.") { create };
    }

    private static async Task<int> CreateUserAsync(
        ParseResult parseResult, string email, string password, string? displayName, string language, string region, bool admin, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        // RegisterUser answers an existing address success-shaped (so the sign-up page reveals nothing) and
        // e-mails its owner; the operator must get a plain error instead, with nothing sent or stored.
        if (AccountInput.TryNormalizeEmail(email, out var address) && await users.FindByEmailAsync(address) is not null)
        {
            await host.FailAsync(host.Describe(CliErrors.EmailTaken, [address]));
            return 1;
        }

        var legal = await scope.ServiceProvider.GetRequiredService<LegalVersions>().GetAsync(cancellationToken);
        var termsVersion = legal.Current(LegalDocuments.Terms).Version;
        var privacyVersion = legal.Current(LegalDocuments.Privacy).Version;
        var register = scope.ServiceProvider.GetRequiredService<RegisterUser>();
        var registered = await register.ExecuteAsync(
            new RegisterUser.Request(
                email,
                password,
                displayName ?? DefaultDisplayName(email),
                language,
                ConfirmedAdult: true,
                AcceptedTermsVersion: termsVersion,
                AcceptedPrivacyVersion: privacyVersion,
                DataRegion: region,
                UserAgent: "cos user create"),
            cancellationToken);
        if (!registered.Succeeded)
        {
            await host.FailAsync(registered.Errors.Select(host.Describe));
            return 1;
        }

        if (registered.Outcome != RegistrationOutcome.Registered)
        {
            // Lost a race with a concurrent sign-up for the same address.
            await host.FailAsync(host.Describe(CliErrors.EmailTaken, [address]));
            return 1;
        }

        var user = await users.FindByEmailAsync(address)
            ?? throw new InvalidOperationException("The registered user was not found.");
        user.IsAdmin = admin;
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        // ConfirmEmail saves the tracked user, so IsAdmin is written in the same update.
        var confirmed = await scope.ServiceProvider.GetRequiredService<ConfirmEmail>()
            .ExecuteAsync(new ConfirmEmail.Request(user.Id, token, UserAgent: "cos user create"), cancellationToken);
        if (!confirmed.Succeeded)
        {
            await host.FailAsync([.. confirmed.Errors.Select(host.Describe), host.Describe(CliErrors.ConfirmFailed, [])]);
            return 1;
        }

        await host.Output.WriteLineAsync(
            $"Created user {user.Email} ({user.Id}){(admin ? ", administrator" : "")}: e-mail confirmed, workspace {user.DefaultWorkspaceId}, plan {PlanCatalog.Starter}.");
        await host.Output.WriteLineAsync(OperatorNotice(termsVersion, privacyVersion));
        return 0;
    }

    private static async Task<int> CreateApiKeyAsync(ParseResult parseResult, string email, string name, bool grantApiAccess, CancellationToken cancellationToken)
    {
        await using var host = await CliHost.OpenAsync(parseResult, cancellationToken);
        await using var scope = host.Services.CreateAsyncScope();
        var user = await host.FindUserAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), email);
        if (user is null)
        {
            return 1;
        }

        if (user.DefaultWorkspaceId is not { } workspaceId)
        {
            await host.FailAsync(host.Describe(CliErrors.NoWorkspace, [user.Email!]));
            return 1;
        }

        if (grantApiAccess)
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
#pragma warning disable RS0030 // The operator acts on the workspace of the user named.
            var subscription = await db.Subscriptions.IgnoreQueryFilters().SingleAsync(s => s.WorkspaceId == workspaceId, cancellationToken);
#pragma warning restore RS0030
            if (!subscription.GrantedFeatures.Contains(PlanFeatures.ApiAccess, StringComparer.Ordinal))
            {
                subscription.GrantedFeatures = [.. subscription.GrantedFeatures, PlanFeatures.ApiAccess];
                scope.ServiceProvider.GetRequiredService<AuditLog>().Add(
                    BillingAudit.PlanChanged, AuditOutcomes.Success, null, workspaceId, $"cli:grants={string.Join(",", subscription.GrantedFeatures)}");
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        var created = await scope.ServiceProvider.GetRequiredService<CreateApiKey>()
            .ExecuteAsync(new CreateApiKey.Request(user.Id, workspaceId, name, UserAgent: "cos apikey create"), cancellationToken);
        if (!created.Succeeded)
        {
            await host.FailAsync(created.Errors.Select(host.Describe));
            return 1;
        }

        await host.Output.WriteLineAsync(created.PlaintextKey);
        return 0;
    }

    private static string DefaultDisplayName(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return (at > 0 ? email[..at] : email).Trim();
    }
}
