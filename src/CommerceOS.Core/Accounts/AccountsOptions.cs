using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Accounts;

/// <summary>Configuration section <c>Accounts</c>.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>
    /// Absolute base URL of the web host that e-mailed links point to (no trailing path), e.g.
    /// <c>https://app.example.com</c>. The host serves the pages in <see cref="AccountLinks"/>.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";
}

public sealed class AccountsOptionsValidator : IValidateOptions<AccountsOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountsOptions options) =>
        Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Accounts:PublicBaseUrl must be an absolute http(s) URL without query or fragment.");
}

/// <summary>
/// The links put in account e-mails. The web host must serve these paths (GET shows a page, whose
/// form POSTs the values to the matching use case). Tokens are URL-encoded query values.
/// </summary>
public sealed class AccountLinks(IOptions<AccountsOptions> options)
{
    public const string ConfirmEmailPath = "/account/confirm-email";
    public const string ResetPasswordPath = "/account/reset-password";
    public const string ConfirmEmailChangePath = "/account/confirm-email-change";
    public const string ForgotPasswordPath = "/account/forgot-password";
    public const string DataExportPath = "/account/data-export";

    public string ConfirmEmail(Guid userId, string token) =>
        Build(ConfirmEmailPath, ("userId", userId.ToString()), ("token", token));

    public string ResetPassword(Guid userId, string token) =>
        Build(ResetPasswordPath, ("userId", userId.ToString()), ("token", token));

    public string ConfirmEmailChange(Guid userId, string newEmail, string token) =>
        Build(ConfirmEmailChangePath, ("userId", userId.ToString()), ("email", newEmail), ("token", token));

    public string ForgotPassword() => Build(ForgotPasswordPath);

    /// <summary>The single-use download of a personal data export (the token is base64url, so it needs no escaping).</summary>
    public string DataExport(string token) => Build($"{DataExportPath}/{Uri.EscapeDataString(token)}");

    public string Home() => Build("/");

    /// <summary>The page of a legal document ("/privacy", "/terms"), which shows its current version.</summary>
    public string LegalDocument(string document) => Build("/" + document);

    private string Build(string path, params (string Name, string Value)[] query)
    {
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var queryString = string.Join('&', query.Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value)}"));
        return queryString.Length == 0 ? baseUrl + path : $"{baseUrl}{path}?{queryString}";
    }
}
