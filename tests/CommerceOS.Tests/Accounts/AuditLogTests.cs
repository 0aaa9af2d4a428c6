using CommerceOS.Core.Accounts;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Accounts;

public sealed class AuditLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("alice\r\n2026-07-01 authn_login_success admin", "alice2026-07-01 authn_login_success admin")]
    [InlineData("tab\there\u0000nul\u001b[31m", "tabherenul[31m")]
    [InlineData("evil\u202Etxt.exe\u2028next\u2029para\u200B", "eviltxt.exenextpara")]
    [InlineData("王小明 🛒", "王小明 🛒")]
    public void Sanitize_ControlAndFormatCharacters_Removed(string input, string expected)
    {
        Assert.Equal(expected, AuditLog.Sanitize(input, 200));
    }

    [Fact]
    public void Sanitize_TruncationInsideSurrogatePair_DropsWholeCharacter()
    {
        Assert.Equal("ab", AuditLog.Sanitize("ab🛒", 3));
        Assert.Null(AuditLog.Sanitize(null, 10));
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task RecordAsync_OversizedAndInjectedValues_StoredCleanAndWithinColumns(DatabaseKind kind)
    {
        await using var host = await AccountsTestHost.CreateAsync(kind);
        var userId = Guid.CreateVersion7();
        var workspaceId = Guid.CreateVersion7();
        host.Time.Advance(TimeSpan.FromMinutes(3));

        await using (var scope = host.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(
                AuditActions.LoginFail, AuditOutcomes.Failure, userId, workspaceId,
                target: "user:\r\nFAKE authn_login_success " + new string('t', 500),
                ipAddress: "2001:db8::1\n" + new string('9', 100),
                userAgent: new string('u', 1_000),
                cancellationToken: Ct);
        }

        await using var db = host.Database.CreateContext();
        var audit = await db.AuditEvents.SingleAsync(Ct);
        Assert.Equal((AuditActions.LoginFail, AuditOutcomes.Failure, userId, workspaceId), (audit.Action, audit.Outcome, audit.UserId, audit.WorkspaceId));
        Assert.Equal(200, audit.Target!.Length);
        Assert.StartsWith("user:FAKE authn_login_success ttt", audit.Target, StringComparison.Ordinal);
        Assert.Equal(64, audit.IpAddress!.Length);
        Assert.Equal(300, audit.UserAgent!.Length);
        Assert.DoesNotContain('\n', audit.Target + audit.IpAddress);
        Assert.Equal(AccountsTestHost.Start.UtcDateTime.AddMinutes(3), audit.OccurredAt);
        Assert.Equal(DateTimeKind.Utc, audit.OccurredAt.Kind);
    }
}
