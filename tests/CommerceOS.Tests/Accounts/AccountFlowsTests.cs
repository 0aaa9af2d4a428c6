using CommerceOS.Core.Accounts;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommerceOS.Tests.Accounts;

public sealed class AccountFlowsTests
{
    private const string Password = "violet lantern orbit 42";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<bool> PasswordWorksAsync(AccountsTestHost host, Guid userId, string password)
    {
        await using var scope = host.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId.ToString());
        return await users.CheckPasswordAsync(user!, password);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RequestPasswordReset_UnknownOrMalformedAddress_SendsNothing(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);
        var before = host.Mail.Sent.Count;

        await using (var scope = host.Scope())
        {
            var reset = scope.ServiceProvider.GetRequiredService<RequestPasswordReset>();
            await reset.ExecuteAsync(new("nobody@example.com"), Ct);
            await reset.ExecuteAsync(new("not an address"), Ct);
        }

        Assert.Equal(before, host.Mail.Sent.Count);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ResetPassword_WithEmailedToken_SetsPasswordOnceAndClearsLockout(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);
        await using (var scope = host.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByIdAsync(userId.ToString());
            for (var i = 0; i < 5; i++)
            {
                await users.AccessFailedAsync(user!);
            }

            Assert.True(await users.IsLockedOutAsync(user!));
        }

        await using (var scope = host.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<RequestPasswordReset>().ExecuteAsync(new(" Mei.Chen@Example.com "), Ct);
        }

        var mail = host.Mail.Sent[^1];
        Assert.Equal("Reset your CommerceOS password", mail.Subject);
        var token = AccountsTestHost.LinkQueryValue(mail, "token");
        Assert.Equal(userId, Guid.Parse(AccountsTestHost.LinkQueryValue(mail, "userId")));

        var weak = await host.RunAsync<ResetPassword, ResetPassword.Response>(r => r.ExecuteAsync(new(userId, token, "qwerty123456"), Ct));
        var reset = await host.RunAsync<ResetPassword, ResetPassword.Response>(r => r.ExecuteAsync(new(userId, token, "new ocean pebble 7 tiger"), Ct));
        var reused = await host.RunAsync<ResetPassword, ResetPassword.Response>(r => r.ExecuteAsync(new(userId, token, "third attempt phrase ok"), Ct));

        Assert.Equal([AccountErrors.PasswordCommon], weak.Errors.Select(e => e.Code));
        Assert.True(reset.Succeeded);
        Assert.Equal([AccountErrors.TokenInvalid], reused.Errors.Select(e => e.Code));
        Assert.True(await PasswordWorksAsync(host, userId, "new ocean pebble 7 tiger"));
        Assert.False(await PasswordWorksAsync(host, userId, Password));
        await using var db = host.Database.CreateContext();
        var stored = await db.Users.SingleAsync(Ct);
        Assert.Null(stored.LockoutEnd);
        Assert.Equal(
            [AuditOutcomes.Success, AuditOutcomes.Failure],
            await db.AuditEvents.Where(a => a.Action == AuditActions.PasswordReset).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChangePassword_WrongCurrent_RefusedAndCountsAsFailedAttempt(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);

        var response = await host.RunAsync<ChangePassword, ChangePassword.Response>(c => c.ExecuteAsync(
            new(userId, "not my password at all", "new ocean pebble 7 tiger", "198.51.100.4\r\nforged"), Ct));

        Assert.Equal([AccountErrors.PasswordIncorrect], response.Errors.Select(e => e.Code));
        Assert.True(await PasswordWorksAsync(host, userId, Password));
        await using var db = host.Database.CreateContext();
        Assert.Equal(1, (await db.Users.SingleAsync(Ct)).AccessFailedCount);
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == AuditActions.PasswordChange, Ct);
        Assert.Equal((AuditOutcomes.Failure, AccountErrors.PasswordIncorrect, "198.51.100.4forged"), (audit.Outcome, audit.Target, audit.IpAddress));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChangePassword_CorrectCurrent_ChangesPasswordAndSecurityStamp(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);
        await using var before = host.Database.CreateContext();
        var stampBefore = (await before.Users.SingleAsync(Ct)).SecurityStamp;

        var tooLong = await host.RunAsync<ChangePassword, ChangePassword.Response>(c => c.ExecuteAsync(new(userId, Password, new string('k', 129)), Ct));
        var response = await host.RunAsync<ChangePassword, ChangePassword.Response>(c => c.ExecuteAsync(new(userId, Password, "new ocean pebble 7 tiger"), Ct));
        var unknown = await host.RunAsync<ChangePassword, ChangePassword.Response>(c => c.ExecuteAsync(new(Guid.NewGuid(), Password, "new ocean pebble 7 tiger"), Ct));

        Assert.Equal([AccountErrors.PasswordTooLong], tooLong.Errors.Select(e => e.Code));
        Assert.Equal(["128"], tooLong.Errors[0].Arguments);
        Assert.True(response.Succeeded);
        Assert.Equal([AccountErrors.UserNotFound], unknown.Errors.Select(e => e.Code));
        Assert.True(await PasswordWorksAsync(host, userId, "new ocean pebble 7 tiger"));
        await using var after = host.Database.CreateContext();
        Assert.NotEqual(stampBefore, (await after.Users.SingleAsync(Ct)).SecurityStamp);
        Assert.Equal(1, await after.AuditEvents.CountAsync(a => a.Action == AuditActions.PasswordChange && a.Outcome == AuditOutcomes.Success, Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ChangeEmail_ConfirmedWithTokenSentToNewAddress_ChangesEmailAndUserName(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration("mei@example.com", "zh-CN"), confirmEmail: true);

        var requested = await host.RunAsync<RequestEmailChange, RequestEmailChange.Response>(r => r.ExecuteAsync(new(userId, "mei.new@example.com"), Ct));

        Assert.True(requested.Succeeded);
        var mail = host.Mail.Sent[^1];
        Assert.Equal("mei.new@example.com", mail.To);
        Assert.Equal("确认您的 CommerceOS 新邮箱地址", mail.Subject);
        var token = AccountsTestHost.LinkQueryValue(mail, "token");
        Assert.Equal("mei.new@example.com", AccountsTestHost.LinkQueryValue(mail, "email"));

        var otherAddress = await host.RunAsync<ConfirmEmailChange, ConfirmEmailChange.Response>(c => c.ExecuteAsync(new(userId, "evil@example.com", token), Ct));
        Assert.Equal([AccountErrors.TokenInvalid], otherAddress.Errors.Select(e => e.Code));

        var confirmed = await host.RunAsync<ConfirmEmailChange, ConfirmEmailChange.Response>(c => c.ExecuteAsync(new(userId, "mei.new@example.com", token), Ct));

        Assert.True(confirmed.Succeeded);
        await using var db = host.Database.CreateContext();
        var user = await db.Users.SingleAsync(Ct);
        Assert.Equal(("mei.new@example.com", "mei.new@example.com", "MEI.NEW@EXAMPLE.COM", "MEI.NEW@EXAMPLE.COM"),
            (user.Email, user.UserName, user.NormalizedEmail, user.NormalizedUserName));
        Assert.True(user.EmailConfirmed);
        var notice = host.Mail.Sent[^1];
        Assert.Equal(("mei@example.com", "您的 CommerceOS 邮箱地址已更改"), (notice.To, notice.Subject));
        Assert.Equal(
            [AuditOutcomes.Failure, AuditOutcomes.Success],
            await db.AuditEvents.Where(a => a.Action == AuditActions.EmailChange).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RequestEmailChange_AddressOfAnotherAccount_SuccessShapedWithoutMail(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);
        await host.RegisterAsync(AccountsTestHost.ValidRegistration("taken@example.com", displayName: "Other"), confirmEmail: true);
        var before = host.Mail.Sent.Count;

        var taken = await host.RunAsync<RequestEmailChange, RequestEmailChange.Response>(r => r.ExecuteAsync(new(userId, "TAKEN@example.com"), Ct));
        var same = await host.RunAsync<RequestEmailChange, RequestEmailChange.Response>(r => r.ExecuteAsync(new(userId, "Mei.Chen@example.com"), Ct));
        var invalid = await host.RunAsync<RequestEmailChange, RequestEmailChange.Response>(r => r.ExecuteAsync(new(userId, "x@"), Ct));

        Assert.True(taken.Succeeded);
        Assert.Equal([AccountErrors.EmailUnchanged], same.Errors.Select(e => e.Code));
        Assert.Equal([AccountErrors.EmailInvalid], invalid.Errors.Select(e => e.Code));
        Assert.Equal(before, host.Mail.Sent.Count);
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task ConfirmEmailChange_AddressTakenMeanwhile_RefusedAndUnchanged(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = await host.RegisterAsync(AccountsTestHost.ValidRegistration(), confirmEmail: true);
        await host.RunAsync<RequestEmailChange, RequestEmailChange.Response>(r => r.ExecuteAsync(new(userId, "wanted@example.com"), Ct));
        var token = AccountsTestHost.LinkQueryValue(host.Mail.Sent[^1], "token");
        await host.RegisterAsync(AccountsTestHost.ValidRegistration("wanted@example.com", displayName: "Quick"), confirmEmail: true);

        var response = await host.RunAsync<ConfirmEmailChange, ConfirmEmailChange.Response>(c => c.ExecuteAsync(new(userId, "wanted@example.com", token), Ct));

        Assert.Equal([AccountErrors.EmailTaken], response.Errors.Select(e => e.Code));
        await using var db = host.Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Id == userId, Ct);
        Assert.Equal(("mei.chen@example.com", "mei.chen@example.com"), (user.Email, user.UserName));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task AddAccounts_IdentityOptions_MatchPolicy(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        await using var scope = host.Scope();
        var identity = scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value;
        var tokens = scope.ServiceProvider.GetRequiredService<IOptions<DataProtectionTokenProviderOptions>>().Value;
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();

        Assert.True(identity.User.RequireUniqueEmail);
        Assert.Equal(12, identity.Password.RequiredLength);
        Assert.False(identity.Password.RequireDigit || identity.Password.RequireLowercase || identity.Password.RequireUppercase || identity.Password.RequireNonAlphanumeric);
        Assert.Equal((5, TimeSpan.FromMinutes(1), true), (identity.Lockout.MaxFailedAccessAttempts, identity.Lockout.DefaultLockoutTimeSpan, identity.Lockout.AllowedForNewUsers));
        Assert.True(identity.SignIn.RequireConfirmedEmail);
        Assert.Equal(TimeSpan.FromHours(1), tokens.TokenLifespan);
        Assert.IsType<PasswordPolicyValidator>(Assert.Single(users.PasswordValidators));
        Assert.IsType<BcryptPasswordHasher>(users.PasswordHasher);
    }
}
