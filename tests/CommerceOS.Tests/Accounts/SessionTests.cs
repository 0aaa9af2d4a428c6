using System.Net;
using CommerceOS.Tests.Infrastructure;

namespace CommerceOS.Tests.Accounts;

public sealed class SessionTests
{
    [Fact]
    public async Task Logout_MakesACopiedSessionCookieWorthless()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var session = await BrowserSession.SignUpAsync(app);
        var cookie = session.CookieHeader;
        using var thief = app.CreateBrowserClient();
        thief.DefaultRequestHeaders.Add("Cookie", cookie);
        using (var before = await thief.GetAsync("/app/dashboard", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var logout = await session.PostFormAsync("/account/logout", [], formPage: "/app/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        for (var replay = 0; replay < 20; replay++)
        {
            using var after = await thief.GetAsync("/app/dashboard", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }
    }

    [Fact]
    public async Task SignInElsewhere_EndsTheOlderSession()
    {
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite);
        using var first = await BrowserSession.SignUpAsync(app);
        using var second = app.CreateBrowserClient();

        using var login = await BrowserSession.SignInAsync(second, first.Email);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var newer = await second.GetAsync("/app/dashboard", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        using var older = await first.Client.GetAsync("/app/dashboard", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, older.StatusCode);
    }
}
