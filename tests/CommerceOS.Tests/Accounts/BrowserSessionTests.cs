using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Accounts;

public sealed class BrowserSessionTests
{
    [Fact]
    public async Task SignUpAsync_SignsInWithAWorkingSession()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app, displayName: "Mina");

        var dashboard = await session.Client.GetStringAsync("/app/dashboard", TestContext.Current.CancellationToken);

        Assert.Contains("Welcome, Mina", dashboard, StringComparison.Ordinal);
    }
}
