using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Images;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Publishing;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Marketplaces.Taobao;

/// <summary>An uploaded file of a TOP call: sent as a multipart part, never signed (§10.3).</summary>
internal sealed record TopFile(string Name, string FileName, string ContentType, byte[] Bytes);

/// <summary>The seller's TOP credentials, read from the session for one operation.</summary>
internal sealed record TopCredentials(string AppKey, string AppSecret, string Session)
{
    public static TopCredentials From(MarketplaceSession session) =>
        new(session.Required("app_key"), session.Required("app_secret"), session.Required("session"));
}

/// <summary>
/// A business error TOP gave about the call's arguments (<c>40</c>/<c>41</c>/<c>43</c>, or any <c>isv.*</c> sub_code):
/// about the listing, so the publisher reports it instead of throwing.
/// </summary>
internal sealed record TopError(long Code, string? Msg, string? SubCode, string? SubMsg)
{
    /// <summary>UNCONFIRMED: the sub_codes TOP uses for an item that no longer exists (deleted or never there).</summary>
    public bool ItemGone =>
        SubCode is { } sub && (sub.Contains("not-exist", StringComparison.OrdinalIgnoreCase) || sub.Contains("is-delete", StringComparison.OrdinalIgnoreCase)
            || sub.Contains("not-found", StringComparison.OrdinalIgnoreCase));

    /// <summary>TOP's own words, with the parameter it names mapped to our field.</summary>
    public PlatformIssue ToIssue()
    {
        var parameter = Parameter();
        var field = parameter is not null && Fields.TryGetValue(parameter, out var known) ? known : Guess($"{SubCode} {SubMsg} {Msg}");
        var code = SubCode ?? Code.ToString(CultureInfo.InvariantCulture);
        var message = string.Join(": ", new[] { Msg, SubMsg }.Where(m => !string.IsNullOrEmpty(m)));
        return new PlatformIssue(field, code, message, PlatformIssueSeverity.Error, parameter);
    }

    /// <summary>
    /// The parameter TOP names: after the last colon of <c>isv.invalid-parameter:title</c> or of
    /// <c>Missing required arguments:price</c>.
    /// </summary>
    private string? Parameter()
    {
        foreach (var text in (string?[])[SubCode, Msg, SubMsg])
        {
            var colon = text?.LastIndexOf(':') ?? -1;
            if (colon >= 0 && text![(colon + 1)..].Trim() is { Length: > 0 } name && Fields.ContainsKey(name))
            {
                return name;
            }
        }

        return null;
    }

    private static string Guess(string text)
    {
        var lower = text.ToLowerInvariant();
        foreach (var (word, field) in Keywords)
        {
            if (lower.Contains(word, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return ListingFields.Listing;
    }

    /// <summary>taobao.item.add's parameters (§10.4) in our fields.</summary>
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = ListingFields.Title,
        ["desc"] = ListingFields.Description,
        ["wireless_desc"] = ListingFields.Description,
        ["sell_point"] = ListingFields.Bullets,
        ["price"] = ListingFields.Price,
        ["num"] = ListingFields.Stock,
        ["cid"] = ListingFields.Category,
        ["pic_path"] = ListingFields.Images,
        ["image"] = ListingFields.Images,
        ["url"] = ListingFields.Images,
        ["props"] = ListingFields.Attributes,
        ["input_pids"] = ListingFields.Attributes,
        ["input_str"] = ListingFields.Attributes,
        ["property_alias"] = ListingFields.Attributes,
        ["sku_properties"] = ListingFields.Variants,
        ["sku_quantities"] = ListingFields.Variants,
        ["sku_prices"] = ListingFields.Variants,
        ["sku_outer_ids"] = ListingFields.Variants,
        ["outer_id"] = ListingFields.Sku,
        ["weight"] = ListingFields.Weight,
    };

    /// <summary>Words in a sub_code or sub_msg without a parameter name (English and Chinese), most specific first.</summary>
    private static readonly (string Word, string Field)[] Keywords =
    [
        ("sku", ListingFields.Variants), ("title", ListingFields.Title), ("标题", ListingFields.Title),
        ("price", ListingFields.Price), ("价格", ListingFields.Price), ("cid", ListingFields.Category), ("cat", ListingFields.Category),
        ("类目", ListingFields.Category), ("pic", ListingFields.Images), ("img", ListingFields.Images), ("image", ListingFields.Images),
        ("图片", ListingFields.Images), ("desc", ListingFields.Description), ("描述", ListingFields.Description),
        ("prop", ListingFields.Attributes), ("属性", ListingFields.Attributes), ("quantity", ListingFields.Stock), ("num", ListingFields.Stock),
        ("库存", ListingFields.Stock), ("brand", ListingFields.Brand), ("品牌", ListingFields.Brand), ("weight", ListingFields.Weight),
    ];
}

/// <summary>
/// The TOP router (external-apis.md §10): one POST per method with the common parameters, signed as §10.3 says, and the
/// answer <c>{"&lt;method without taobao.&gt;_response": {...}}</c> or <c>{"error_response": {...}}</c>. Errors that are not about the
/// listing are thrown as <see cref="ProviderException"/>; the rest come back as <see cref="TopError"/>.
/// </summary>
internal sealed partial class TaobaoGateway(HttpClient client, TaobaoOptions options, TimeProvider timeProvider, ILogger logger)
{
    public const string Vendor = "Taobao";

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>A gateway over the adapter's named client: the publisher and the category source share it.</summary>
    public static TaobaoGateway Create(IHttpClientFactory httpClientFactory, TaobaoOptions options, TimeProvider timeProvider, ILogger logger) =>
        new(httpClientFactory.CreateClient(TaobaoPublisher.ClientName), options, timeProvider, logger);

    /// <summary>
    /// A read whose business error is not about a listing (a category walk): code 15 (remote service error) is
    /// Transient, the rest (40/41/43, isv.* about our own arguments) Misconfigured.
    /// </summary>
    public async Task<JsonElement> ReadAsync(TopCredentials credentials, string method, IEnumerable<KeyValuePair<string, string>> arguments, CancellationToken cancellationToken)
    {
        var (response, error) = await CallAsync(credentials, method, arguments, repeatable: true, cancellationToken);
        return error is null
            ? response
            : throw new ProviderException(
                error.Code == 15 ? ProviderFailure.Transient : ProviderFailure.Misconfigured,
                $"Taobao {method} failed with code {error.Code} {error.SubCode}: {ProviderHttp.Truncate(error.SubMsg ?? error.Msg ?? "no message")}");
    }

    /// <summary>Calls <paramref name="method"/> and returns its response object, or the business error.</summary>
    /// <param name="repeatable">A read, or a write by num_iid that lands the same however often it runs.</param>
    public async Task<(JsonElement Response, TopError? Error)> CallAsync(
        TopCredentials credentials,
        string method,
        IEnumerable<KeyValuePair<string, string>> arguments,
        bool repeatable,
        CancellationToken cancellationToken,
        TopFile? file = null)
    {
        var signMethod = options.SignMethod;
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters[name] = value;
            }
        }

        parameters["method"] = method;
        parameters["app_key"] = credentials.AppKey;
        parameters["session"] = credentials.Session;
        parameters["timestamp"] = timeProvider.GetUtcNow().ToOffset(ChinaStandardTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        parameters["format"] = "json";
        parameters["v"] = "2.0";
        parameters["sign_method"] = signMethod;
        parameters["sign"] = TaobaoSignature.Sign(parameters, credentials.AppSecret, signMethod);

        using var request = new HttpRequestMessage(HttpMethod.Post, MarketplaceHttp.BaseUri(options.GatewayUrl, $"{TaobaoOptions.Section}:GatewayUrl"))
        {
            Content = file is null ? new FormUrlEncodedContent(parameters) : Multipart(parameters, file),
        };
        if (repeatable)
        {
            request.AsRepeatable();
        }

        using var response = await MarketplaceHttp.SendAsync(client, request, Vendor, method, cancellationToken);
        logger.LogDebug("Taobao {Method} answered {Status}", method, (int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
        {
            MarketplaceHttp.ThrowForTransport(response, Vendor, method, timeProvider);
            throw new ProviderException(
                response.StatusCode == HttpStatusCode.NotFound ? ProviderFailure.Misconfigured : ProviderFailure.Transient,
                $"Taobao {method}: HTTP {(int)response.StatusCode}; check {TaobaoOptions.Section}:GatewayUrl.");
        }

        var body = await MarketplaceHttp.ReadJsonAsync(response, Vendor, method, cancellationToken);
        if (body.TryGetProperty("error_response", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var top = new TopError(Number(error, "code") ?? 0, error.GetString("msg"), error.GetString("sub_code"), error.GetString("sub_msg"));
            logger.LogInformation("Taobao {Method} refused: code {Code} {SubCode}", method, top.Code, top.SubCode);
            return (default, Classify(top, method, response));
        }

        // §10.4/§10.5: taobao.item.add answers item_add_response, so the "taobao." prefix is not part of the name.
        var answer = $"{(method.StartsWith("taobao.", StringComparison.Ordinal) ? method["taobao.".Length..] : method).Replace('.', '_')}_response";
        if (!body.TryGetProperty(answer, out var result) || result.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Taobao {method} answered without {answer}.");
        }

        return (result, null);
    }

    /// <summary>A number TOP may send as a JSON number or a string (num_iid, code).</summary>
    public static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt64(out var n) => n,
                JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) => s,
                _ => null,
            }
            : null;

    /// <summary>A flag TOP may send as a JSON boolean or as the text <c>true</c>/<c>false</c>.</summary>
    public static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
        && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// The objects of a TOP list: <c>{"item_cats": {"item_cat": [...]}}</c>. An absent list is empty (TOP leaves empty
    /// lists out); a list of another shape is a malformed answer, Transient.
    /// </summary>
    public static IEnumerable<JsonElement> List(JsonElement response, string wrapper, string element, string method)
    {
        if (!response.TryGetProperty(wrapper, out var outer) || outer.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (outer.ValueKind != JsonValueKind.Object)
        {
            throw new ProviderException(ProviderFailure.Transient, $"Taobao {method} answered {wrapper} that is not an object.");
        }

        if (!outer.TryGetProperty(element, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object)
            ? list.EnumerateArray().ToList()
            : throw new ProviderException(ProviderFailure.Transient, $"Taobao {method} answered {wrapper}.{element} that is not a list of objects.");
    }

    /// <summary>
    /// §10.5 (code list UNCONFIRMED; the numbering follows TOP's published system-error table): throws what is not about
    /// the listing, returns what is.
    /// </summary>
    private TopError Classify(TopError error, string method, HttpResponseMessage response)
    {
        var detail = $"Taobao {method} failed with code {error.Code} {error.SubCode}: {ProviderHttp.Truncate(error.SubMsg ?? error.Msg ?? "no message")}";
        switch (error.Code)
        {
            case 7:
                throw new ProviderException(ProviderFailure.RateLimited, detail, BanLeft(error.SubMsg ?? error.Msg) ?? VendorRetryAfter(response));
            case 11 or 12 or 13:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. The app or the seller lacks the permission for {method}.");
            case 25:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. TOP refused the signature: check app_secret and {TaobaoOptions.Section}:SignMethod.");
            case 26 or 27:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. The seller's session is missing or expired: authorise the app again.");
            case 28 or 29:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. Check app_key (the reference lists 28 as a missing session).");
            case 31:
                throw new ProviderException(ProviderFailure.Misconfigured, $"{detail}. TOP refused the timestamp: check the server clock.");
            case >= 20 and <= 36:
                throw new ProviderException(ProviderFailure.Misconfigured, detail);
        }

        if (error.Code is 40 or 41 or 43 || error.SubCode?.StartsWith("isv.", StringComparison.Ordinal) == true)
        {
            return error;
        }

        // 10 service unavailable, 15 remote service error with an isp.* sub_code, anything unknown.
        throw new ProviderException(ProviderFailure.Transient, detail, VendorRetryAfter(response));
    }

    private TimeSpan? VendorRetryAfter(HttpResponseMessage response) => ProviderHttp.RetryAfter(response, timeProvider);

    /// <summary>UNCONFIRMED wording of code 7: "This ban will last for 3 more seconds".</summary>
    private static TimeSpan? BanLeft(string? message) =>
        message is not null && BanPattern().Match(message) is { Success: true } match
            ? TimeSpan.FromSeconds(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            : null;

    [GeneratedRegex(@"(\d{1,6}) more seconds?", RegexOptions.IgnoreCase)]
    private static partial Regex BanPattern();

    private static MultipartFormDataContent Multipart(SortedDictionary<string, string> parameters, TopFile file)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in parameters)
        {
            content.Add(new StringContent(value), name);
        }

        var bytes = new ByteArrayContent(file.Bytes);
        bytes.Headers.ContentType = new(file.ContentType);
        content.Add(bytes, file.Name, file.FileName);
        return content;
    }
}
