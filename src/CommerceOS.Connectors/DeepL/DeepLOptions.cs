using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.DeepL;

/// <summary>Configuration section <c>DeepL</c> (external-apis.md §6).</summary>
public sealed class DeepLOptions
{
    public const string Section = "DeepL";

    /// <summary>external-apis.md §6.1: free keys end with <c>:fx</c> and only work on the free host.</summary>
    public const string FreeHost = "https://api-free.deepl.com";

    public const string ProHost = "https://api.deepl.com";

    /// <summary>external-apis.md §6.1: request bodies up to 128 KiB.</summary>
    public const int BodyLimitBytes = 128 * 1024;

    /// <summary>external-apis.md §6.2: at most 50 texts per request.</summary>
    public const int TextsLimit = 50;

    /// <summary>A secret: set it from the environment (<c>DeepL__ApiKey</c>) or user secrets, never in appsettings.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Empty: the free or pro host, chosen by the key's <c>:fx</c> suffix. Set only for a proxy or a test fake.</summary>
    public string? BaseUrl { get; set; }

    /// <summary><c>EN-US</c> or <c>EN-GB</c>: DeepL needs a variant when English is the target.</summary>
    public string EnglishVariant { get; set; } = "EN-US";

    public int MaxTextsPerRequest { get; set; } = TextsLimit;

    /// <summary>Bodies are split below this many bytes (the vendor's limit less headroom for headers of the body itself).</summary>
    public int MaxRequestBytes { get; set; } = BodyLimitBytes - 1024;

    /// <summary>Deadline of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after 429, 529, 5xx and timeouts (a 456 quota error is never retried).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay; doubles with jitter when DeepL sends no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A longer Retry-After is not slept: the call fails as rate limited and the caller retries later.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsFreeKey => ApiKey?.Trim().EndsWith(":fx", StringComparison.Ordinal) == true;

    /// <summary>The configured <see cref="BaseUrl"/>, or the host the key belongs to.</summary>
    public string ResolvedBaseUrl => string.IsNullOrWhiteSpace(BaseUrl) ? (IsFreeKey ? FreeHost : ProHost) : BaseUrl.TrimEnd('/');
}

/// <summary>Stops the host at start when <c>Providers:Translation</c> selects DeepL without a usable configuration.</summary>
public sealed class DeepLOptionsValidator : IValidateOptions<DeepLOptions>
{
    public ValidateOptionsResult Validate(string? name, DeepLOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("DeepL:ApiKey is empty but Providers:Translation is 'deepl'. Set it from the environment variable DeepL__ApiKey or with `dotnet user-secrets set DeepL:ApiKey <key>`; keep keys out of appsettings files.");
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUrl)
            && (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))))
        {
            failures.Add($"DeepL:BaseUrl must be an absolute https:// URL (plain http only to a loopback address), or empty to follow the key, not '{options.BaseUrl}'.");
        }

        if (options.EnglishVariant is not ("EN-US" or "EN-GB"))
        {
            failures.Add($"DeepL:EnglishVariant must be 'EN-US' or 'EN-GB', not '{options.EnglishVariant}'.");
        }

        if (options.MaxTextsPerRequest is < 1 or > DeepLOptions.TextsLimit)
        {
            failures.Add($"DeepL:MaxTextsPerRequest must be between 1 and {DeepLOptions.TextsLimit}.");
        }

        if (options.MaxRequestBytes is < 1024 or > DeepLOptions.BodyLimitBytes)
        {
            failures.Add($"DeepL:MaxRequestBytes must be between 1024 and {DeepLOptions.BodyLimitBytes} (128 KiB).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add("DeepL:AttemptTimeout must be positive (e.g. 00:00:30).");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("DeepL:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add("DeepL:RetryBaseDelay must be positive.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add("DeepL:MaxRetryAfter must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
