using CommerceOS.Connectors.Marketplaces;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Payments.Stripe;

/// <summary>
/// Configuration section <c>Billing:Stripe</c> (external-apis.md §12). The retry settings are the marketplaces' own,
/// because the same client recipe serves both.
/// </summary>
public sealed class StripeOptions : MarketplaceOptions
{
    public const string Section = "Billing:Stripe";

    /// <summary>The secret (<c>sk_…</c>) or restricted (<c>rk_…</c>) API key. The gateway is registered only when it is set.</summary>
    public string? SecretKey { get; set; }

    /// <summary>One endpoint secret (<c>whsec_…</c>), or two while rotating: a delivery signed with either is accepted.</summary>
    public List<string> WebhookSecrets { get; set; } = [];

    /// <summary>Where the API lives; tests point it at a loopback fake.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>
    /// The pinned <c>Stripe-Version</c>, so the account's default cannot change the shapes under us; empty = account default.
    /// UNCONFIRMED: the newest version name; basil (2025-03-31) moved period fields onto subscription items, both are read.
    /// </summary>
    public string? ApiVersion { get; set; } = "2025-03-31.basil";

    /// <summary>Largest accepted distance between a signature's <c>t</c> and the arrival (the official libraries' 300 s).</summary>
    public int ToleranceSeconds { get; set; } = 300;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(SecretKey);
}

/// <summary>Stops the host at start on settings that would make every payment or every webhook fail.</summary>
public sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            failures.Add($"{StripeOptions.Section}:ApiBase must be an absolute https URL.");
        }

        var secrets = options.WebhookSecrets.Where(secret => !string.IsNullOrWhiteSpace(secret)).ToList();
        if (secrets.Count is < 1 or > 2)
        {
            failures.Add($"{StripeOptions.Section}:WebhookSecrets must hold one endpoint secret, or two while rotating.");
        }

        if (options.ToleranceSeconds is < 1 or > 3600)
        {
            failures.Add($"{StripeOptions.Section}:ToleranceSeconds must be between 1 and 3600.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
