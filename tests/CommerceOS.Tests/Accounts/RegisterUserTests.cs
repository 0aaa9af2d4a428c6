using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Workspaces;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Accounts;

public sealed class RegisterUserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_ValidRequest_CreatesAccountWorkspaceSubscriptionAndConsents(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var request = AccountsTestHost.ValidRegistration() with { DataRegion = DataRegions.Singapore };

        var response = await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(request, Ct));

        Assert.True(response.Succeeded);
        Assert.Equal(RegistrationOutcome.Registered, response.Outcome);
        var now = AccountsTestHost.Start.UtcDateTime;
        await using var db = host.Database.CreateContext();
        var user = await db.Users.SingleAsync(Ct);
        Assert.Equal("mei.chen@example.com", user.Email);
        Assert.Equal("mei.chen@example.com", user.UserName);
        Assert.Equal("Mei Chen", user.DisplayName);
        Assert.Equal("en", user.PreferredLanguage);
        Assert.False(user.EmailConfirmed);
        Assert.Equal(now, user.AdultConfirmedAt);
        Assert.Equal(now, user.CreatedAt);
        Assert.StartsWith("$2", user.PasswordHash, StringComparison.Ordinal);

        var workspace = await db.Workspaces.SingleAsync(Ct);
        Assert.Equal(workspace.Id, user.DefaultWorkspaceId);
        Assert.Equal("Mei Chen's workspace", workspace.Name);
        Assert.Equal(DataRegions.Singapore, workspace.DataRegion);
        var member = await db.WorkspaceMembers.SingleAsync(Ct);
        Assert.Equal((workspace.Id, user.Id, WorkspaceRole.Owner), (member.WorkspaceId, member.UserId, member.Role));

        await using var tenantDb = host.Database.CreateContext(workspace.Id);
        var subscription = await tenantDb.Subscriptions.SingleAsync(Ct);
        Assert.Equal(PlanCatalog.Starter, subscription.PlanCode);
        Assert.Equal(BillingCycle.Monthly, subscription.Cycle);
        Assert.Equal(SubscriptionStatus.Active, subscription.Status);
        Assert.Equal(now, subscription.CurrentPeriodStart);
        Assert.Equal(new DateTime(2026, 8, 1, 9, 30, 0, DateTimeKind.Utc), subscription.CurrentPeriodEnd);

        var consents = await db.ConsentRecords.Where(c => c.UserId == user.Id).OrderBy(c => c.Purpose).ToListAsync(Ct);
        Assert.Equal(
            [(ConsentPurposes.AgeOver18, "2026-06-25"), (ConsentPurposes.Privacy, "2026-06-25"), (ConsentPurposes.Terms, "2026-06-25")],
            consents.Select(c => (c.Purpose, c.Version)));
        Assert.All(consents, c => Assert.True(c.Granted && c.RecordedAt == now));

        var audit = await db.AuditEvents.SingleAsync(Ct);
        Assert.Equal((AuditActions.Register, AuditOutcomes.Success, user.Id, workspace.Id, "203.0.113.7"),
            (audit.Action, audit.Outcome, audit.UserId, audit.WorkspaceId, audit.IpAddress));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_ValidRequest_VerificationLinkConfirmsEmail(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(AccountsTestHost.ValidRegistration(), Ct));

        var mail = Assert.Single(host.Mail.Sent);
        Assert.Equal("mei.chen@example.com", mail.To);
        Assert.Equal("Verify your CommerceOS e-mail address", mail.Subject);
        Assert.NotNull(mail.HtmlBody);
        var userId = Guid.Parse(AccountsTestHost.LinkQueryValue(mail, "userId"));
        var token = AccountsTestHost.LinkQueryValue(mail, "token");

        var wrong = await host.RunAsync<ConfirmEmail, ConfirmEmail.Response>(c => c.ExecuteAsync(new(userId, token + "x"), Ct));
        var right = await host.RunAsync<ConfirmEmail, ConfirmEmail.Response>(c => c.ExecuteAsync(new(userId, token), Ct));
        var unknownUser = await host.RunAsync<ConfirmEmail, ConfirmEmail.Response>(c => c.ExecuteAsync(new(Guid.NewGuid(), token), Ct));

        Assert.Equal([AccountErrors.TokenInvalid], wrong.Errors.Select(e => e.Code));
        Assert.True(right.Succeeded);
        Assert.Equal([AccountErrors.TokenInvalid], unknownUser.Errors.Select(e => e.Code));
        await using var db = host.Database.CreateContext();
        Assert.True((await db.Users.SingleAsync(Ct)).EmailConfirmed);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_ChineseUser_VerificationEmailInChinese(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);

        await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(AccountsTestHost.ValidRegistration("wang@example.cn", "zh-CN", "王小明"), Ct));

        var mail = Assert.Single(host.Mail.Sent);
        Assert.Equal("请验证您的 CommerceOS 邮箱地址", mail.Subject);
        Assert.Contains("王小明,您好", mail.TextBody, StringComparison.Ordinal);
    }

    public static TheoryData<DatabaseKind, string> RefusedCases
    {
        get
        {
            var data = new TheoryData<DatabaseKind, string>();
            foreach (var kind in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
            {
                foreach (var code in new[]
                {
                    AccountErrors.AdultConfirmationRequired, AccountErrors.TermsVersionOutdated, AccountErrors.PrivacyVersionOutdated,
                    AccountErrors.EmailInvalid, AccountErrors.LanguageUnsupported, AccountErrors.DataRegionUnsupported,
                    AccountErrors.DisplayNameInvalid, AccountErrors.PasswordTooShort, AccountErrors.PasswordCommon,
                    AccountErrors.PasswordContainsContext,
                })
                {
                    data.Add(kind, code);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task ExecuteAsync_Refused_ReturnsCodeAndStoresNothing(DatabaseKind kind, string expectedCode)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var valid = AccountsTestHost.ValidRegistration();
        var request = expectedCode switch
        {
            AccountErrors.AdultConfirmationRequired => valid with { ConfirmedAdult = false },
            AccountErrors.TermsVersionOutdated => valid with { AcceptedTermsVersion = "2025-01-01" },
            AccountErrors.PrivacyVersionOutdated => valid with { AcceptedPrivacyVersion = "" },
            AccountErrors.EmailInvalid => valid with { Email = "mei chen@example" },
            AccountErrors.LanguageUnsupported => valid with { PreferredLanguage = "fr" },
            AccountErrors.DataRegionUnsupported => valid with { DataRegion = "cn" },
            AccountErrors.DisplayNameInvalid => valid with { DisplayName = "Mei\r\nBcc: x@y.z" },
            AccountErrors.PasswordTooShort => valid with { Password = "short pass" },
            AccountErrors.PasswordCommon => valid with { Password = "1qaz2wsx3edc" },
            AccountErrors.PasswordContainsContext => valid with { Password = "mei.chen forever and ever" },
            _ => throw new ArgumentOutOfRangeException(nameof(expectedCode)),
        };

        var response = await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(request, Ct));

        Assert.False(response.Succeeded);
        Assert.Null(response.Outcome);
        Assert.Equal([expectedCode], response.Errors.Select(e => e.Code));
        await using var db = host.Database.CreateContext();
        Assert.Equal(0, await db.Users.CountAsync(Ct));
        Assert.Equal(0, await db.Workspaces.CountAsync(Ct));
        Assert.Equal(0, await db.WorkspaceMembers.CountAsync(Ct));
        Assert.Equal(0, await db.ConsentRecords.CountAsync(Ct));
        Assert.Equal(0, await db.AuditEvents.CountAsync(Ct));
        Assert.Empty(host.Mail.Sent);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_SeveralProblems_ReportsEach(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var request = AccountsTestHost.ValidRegistration() with { ConfirmedAdult = false, Email = "nope", Password = "abc" };

        var response = await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(request, Ct));

        Assert.Equal(
            [AccountErrors.AdultConfirmationRequired, AccountErrors.EmailInvalid, AccountErrors.PasswordTooShort],
            response.Errors.Select(e => e.Code));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_ExistingConfirmedEmail_SuccessShapedAndOwnerNotified(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var ownerId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);
        var sentBefore = host.Mail.Sent.Count;

        var second = await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(
            AccountsTestHost.ValidRegistration("MEI.CHEN@example.com", "zh-CN", "Impostor") with { Password = "another long passphrase" }, Ct));

        Assert.True(second.Succeeded);
        Assert.Equal(RegistrationOutcome.ExistingAccountNotified, second.Outcome);
        var notice = Assert.Single(host.Mail.Sent.Skip(sentBefore));
        Assert.Equal("mei.chen@example.com", notice.To);
        Assert.Equal("Someone tried to sign up to CommerceOS with your address", notice.Subject);
        Assert.Contains("https://app.example.test/account/forgot-password", notice.TextBody, StringComparison.Ordinal);
        await using var db = host.Database.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync(Ct));
        Assert.Equal(1, await db.Workspaces.CountAsync(Ct));
        Assert.Equal(3, await db.ConsentRecords.CountAsync(Ct));
        var audit = await db.AuditEvents.SingleAsync(a => a.Outcome == AuditOutcomes.Failure, Ct);
        Assert.Equal((AuditActions.Register, ownerId, "duplicate_email"), (audit.Action, audit.UserId, audit.Target));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_ExistingUnconfirmedEmail_SendsNewVerificationLink(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        await host.RegisterAsync(AccountsTestHost.ValidRegistration());

        var second = await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(AccountsTestHost.ValidRegistration(), Ct));

        Assert.Equal(RegistrationOutcome.ExistingAccountNotified, second.Outcome);
        Assert.Equal(2, host.Mail.Sent.Count);
        Assert.All(host.Mail.Sent, m => Assert.Equal("Verify your CommerceOS e-mail address", m.Subject));
        var token = AccountsTestHost.LinkQueryValue(host.Mail.Sent[1], "token");
        var userId = Guid.Parse(AccountsTestHost.LinkQueryValue(host.Mail.Sent[1], "userId"));
        Assert.True((await host.RunAsync<ConfirmEmail, ConfirmEmail.Response>(c => c.ExecuteAsync(new(userId, token), Ct))).Succeeded);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ExecuteAsync_CanaryPassword_AppearsInNoStoredText(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        const string canary = "canary-7f3c9e-secret-password";
        await host.RegisterAsync(AccountsTestHost.ValidRegistration() with { Password = canary });
        await host.RunAsync<RegisterUser, RegisterUser.Response>(r => r.ExecuteAsync(AccountsTestHost.ValidRegistration() with { Password = canary }, Ct));

        await using var db = host.Database.CreateContext();
        var user = await db.Users.SingleAsync(Ct);
        var audits = await db.AuditEvents.ToListAsync(Ct);
        var stored = new[] { user.PasswordHash, user.SecurityStamp, user.ConcurrencyStamp }
            .Concat(audits.SelectMany(a => new[] { a.Action, a.Outcome, a.Target, a.IpAddress, a.UserAgent }))
            .Concat(host.Mail.Sent.SelectMany(m => new[] { m.Subject, m.TextBody, m.HtmlBody }));

        Assert.Equal(2, audits.Count);
        Assert.DoesNotContain(stored, s => s?.Contains("canary", StringComparison.OrdinalIgnoreCase) == true);
    }
}
