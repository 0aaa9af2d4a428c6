using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Marketplaces.Shopify;

/// <summary>Configuration section <c>Publishing:Shopify</c>: the Admin GraphQL API (external-apis.md section 7).</summary>
public sealed partial class ShopifyOptions : MarketplaceOptions
{
    public const string Section = "Publishing:Shopify";

    /// <summary>The pinned quarterly version (section 7.1: <c>YYYY-01|04|07|10</c>, each supported about a year).</summary>
    public string ApiVersion { get; set; } = "2025-10";

    /// <summary>
    /// Where a shop's Admin API lives; <c>{shop}</c> becomes the full <c>name.myshopify.com</c> domain. Tests point it at
    /// a loopback fake (<c>http://127.0.0.1:PORT/{shop}</c>) that still sees which shop was addressed.
    /// </summary>
    public string ShopUrlTemplate { get; set; } = "https://{shop}";

    /// <summary>When a publish whose images are still processing asks again (section 7.4 step 4).</summary>
    public TimeSpan MediaPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$", RegexOptions.CultureInvariant)]
    internal static partial Regex ApiVersionPattern();
}

/// <summary>Stops the host at start on a version or shop URL template the adapter could not use.</summary>
public sealed class ShopifyOptionsValidator : IValidateOptions<ShopifyOptions>
{
    public ValidateOptionsResult Validate(string? name, ShopifyOptions options)
    {
        var failures = new List<string>();
        if (!ShopifyOptions.ApiVersionPattern().IsMatch(options.ApiVersion ?? ""))
        {
            failures.Add($"{ShopifyOptions.Section}:ApiVersion must be a quarterly version such as 2025-10, not '{options.ApiVersion}'.");
        }

        var template = options.ShopUrlTemplate ?? "";
        if (!template.Contains("{shop}", StringComparison.Ordinal)
            || !Uri.TryCreate(template.Replace("{shop}", "example.myshopify.com", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            failures.Add($"{ShopifyOptions.Section}:ShopUrlTemplate must be an https URL containing {{shop}}, not '{options.ShopUrlTemplate}'.");
        }

        if (options.MediaPollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{ShopifyOptions.Section}:MediaPollInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
