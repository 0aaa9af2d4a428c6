using System.Text.RegularExpressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using CommerceOS.Core.Privacy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommerceOS.Tests.Infrastructure;

/// <summary>
/// A signed-in browser-like client (cookies, antiforgery) for page tests. The account is registered
/// through the real RegisterUser use case, its e-mail confirmed, and the session obtained from the
/// real sign-in page.
/// </summary>
public sealed partial class BrowserSession : IDisposable
{
    public const string DefaultPassword = "amber canyon teapot 2026";

    private BrowserSession(HttpClient client, Guid userId, Guid workspaceId, string email)
    {
        Client = client;
        UserId = userId;
        WorkspaceId = workspaceId;
        Email = email;
    }

    public HttpClient Client { get; }

    public Guid UserId { get; }

    public Guid WorkspaceId { get; }

    public string Email { get; }

    /// <summary>The session cookie as a Cookie header value ("__Host-cos=..."), e.g. to replay it from another client.</summary>
    public string CookieHeader { get; private set; } = "";

    public static async Task<BrowserSession> SignUpAsync(AppFactory app, string language = "en", string displayName = "Test Seller")
    {
        var email = $"seller-{Guid.NewGuid():N}@example.com";
        Guid userId;
        Guid workspaceId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var register = scope.ServiceProvider.GetRequiredService<RegisterUser>();
            var legal = await scope.ServiceProvider.GetRequiredService<LegalVersions>().GetAsync(TestContext.Current.CancellationToken);
            var result = await register.ExecuteAsync(
                new RegisterUser.Request(email, DefaultPassword, displayName, language, true, legal.Current(LegalDocuments.Terms).Version, legal.Current(LegalDocuments.Privacy).Version),
                TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Code)));
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("registered user not found");
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            Assert.True((await users.ConfirmEmailAsync(user, token)).Succeeded);
            userId = user.Id;
            workspaceId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users
                .Where(u => u.Id == userId).Select(u => u.DefaultWorkspaceId!.Value).SingleAsync(TestContext.Current.CancellationToken);
        }

        var client = app.CreateBrowserClient();
        var session = new BrowserSession(client, userId, workspaceId, email);
        using var response = await session.PostFormAsync("/account/login", new() { ["Email"] = email, ["Password"] = DefaultPassword });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        session.CookieHeader = response.Headers.GetValues("Set-Cookie")
            .Single(c => c.StartsWith("__Host-cos=", StringComparison.Ordinal)).Split(';')[0];
        return session;
    }

    /// <summary>Signs in through the real sign-in page on any client (e.g. a second device) and returns the response.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password = DefaultPassword)
    {
        var page = await client.GetStringAsync("/account/login", TestContext.Current.CancellationToken);
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value,
        }), TestContext.Current.CancellationToken);
    }

    /// <summary>GETs <paramref name="formPage"/> (or the target) for an antiforgery token, then POSTs the form.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? formPage = null)
    {
        fields["__RequestVerificationToken"] = await AntiforgeryTokenAsync(formPage ?? path);
        return await Client.PostAsync(path, new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    /// <summary>POSTs multipart content (e.g. file uploads) with an antiforgery token taken from <paramref name="formPage"/>.</summary>
    public async Task<HttpResponseMessage> PostMultipartAsync(string path, MultipartFormDataContent content, string? formPage = null)
    {
        content.Add(new StringContent(await AntiforgeryTokenAsync(formPage ?? path)), "__RequestVerificationToken");
        return await Client.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        var html = await Client.GetStringAsync(page, TestContext.Current.CancellationToken);
        var match = AntiforgeryToken().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {page}.");
        return match.Groups[1].Value;
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
