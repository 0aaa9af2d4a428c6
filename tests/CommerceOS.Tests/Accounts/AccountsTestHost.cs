using System.Collections.Concurrent;
using System.Security.Cryptography;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Email;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommerceOS.Tests.Accounts;

/// <summary>Collects sent messages instead of delivering them.</summary>
public sealed class CapturingEmailSender : IEmailSender
{
    private readonly ConcurrentQueue<EmailMessage> _sent = new();

    public IReadOnlyList<EmailMessage> Sent => [.. _sent];

    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        _sent.Enqueue(message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The real Accounts registrations (<see cref="AccountsServiceCollectionExtensions.AddAccounts"/>)
/// over a matrix database, with bcrypt cost 4, a fake clock and a capturing e-mail sender.
/// </summary>
public sealed class AccountsTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 7, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;
    private readonly string _dataDirectory;

    private AccountsTestHost(TestDatabase database, ServiceProvider provider, string dataDirectory)
    {
        Database = database;
        _provider = provider;
        _dataDirectory = dataDirectory;
    }

    public TestDatabase Database { get; }

    public FakeTimeProvider Time => (FakeTimeProvider)_provider.GetRequiredService<TimeProvider>();

    public CapturingEmailSender Mail => (CapturingEmailSender)_provider.GetRequiredService<IEmailSender>();

    public static async Task<AccountsTestHost> CreateAsync(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "commerceos-tests", "accounts-" + Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider,
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Accounts:PasswordHashing:Pepper"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Accounts:PasswordHashing:Cost"] = "4",
            ["Accounts:PasswordHashing:AllowLowCostForTests"] = "true",
            ["Accounts:PublicBaseUrl"] = "https://app.example.test",
        }).Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Start));
        services.AddDatabase(configuration, dataDirectory);
        services.AddAccounts(configuration, dataDirectory);
        services.AddWorkspaces();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton<IEmailSender, CapturingEmailSender>();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        return new AccountsTestHost(database, provider, dataDirectory);
    }

    /// <summary>A fresh DI scope, like one web request.</summary>
    public AsyncServiceScope Scope() => _provider.CreateAsyncScope();

    public async Task<TResult> RunAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = Scope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public static RegisterUser.Request ValidRegistration(string email = "mei.chen@example.com", string language = "en", string displayName = "Mei Chen") =>
        new(email, "violet lantern orbit 42", displayName, language, ConfirmedAdult: true,
            LegalDocuments.TermsVersion, LegalDocuments.PrivacyVersion, IpAddress: "203.0.113.7", UserAgent: "xunit");

    /// <summary>Registers and returns the new user's id.</summary>
    public async Task<Guid> RegisterAsync(RegisterUser.Request request, bool confirmEmail = false)
    {
        var response = await RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(request, CancellationToken.None));
        Assert.True(response.Succeeded, string.Join(", ", response.Errors.Select(e => e.Code)));
        await using var scope = Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(request.Email) ?? throw new InvalidOperationException("not registered");
        if (confirmEmail)
        {
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            Assert.True((await users.ConfirmEmailAsync(user, token)).Succeeded);
        }

        return user.Id;
    }

    /// <summary>Reads a query value from the single link in a message's text body.</summary>
    public static string LinkQueryValue(EmailMessage message, string name)
    {
        var link = message.TextBody.Split('\n').Single(l => l.StartsWith("https://app.example.test/", StringComparison.Ordinal)).Trim();
        var query = new Uri(link).Query.TrimStart('?').Split('&');
        var pair = query.Single(q => q.StartsWith(name + "=", StringComparison.Ordinal));
        return Uri.UnescapeDataString(pair[(name.Length + 1)..]);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
