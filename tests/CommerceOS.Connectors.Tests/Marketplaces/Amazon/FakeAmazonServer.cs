using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Marketplaces.Amazon;

/// <summary>One request the fake received, after its access token was accepted.</summary>
public sealed record AmazonRequest(string Operation, string Sku, IReadOnlyDictionary<string, string> Query, JsonObject? Body, string Token, string? UserAgent, DateTimeOffset At);

/// <summary>A listings item the fake holds for the seller, and how many times it was read.</summary>
public sealed class FakeAmazonListing(string productType, JsonObject attributes, string asin)
{
    public string ProductType { get; set; } = productType;

    public JsonObject Attributes { get; set; } = attributes;

    public string Asin { get; } = asin;

    public int Reads { get; set; }

    public string? Value(string attribute, string property = "value") => Attributes[attribute]?[0]?[property]?.ToString();

    public bool IsParent => Value("parentage_level") == "parent";
}

/// <summary>
/// Login with Amazon and SP-API as external-apis.md §8 documents them. LWA exchanges the one known refresh token for
/// an <c>Atza|</c> token that expires after an hour on the shared clock (400 invalid_client / invalid_grant otherwise);
/// every SP-API call must carry a live <c>x-amz-access-token</c> (403 <c>Unauthorized</c> otherwise) and
/// <c>marketplaceIds</c>. A put stores the item per SKU (a second put replaces it) and answers <c>ACCEPTED</c>, or
/// <c>INVALID</c> with issues (HTTP 200 either way); a get answers 404 for <see cref="HiddenReads"/> reads, then
/// summaries without a status for <see cref="PendingReads"/>, then <c>BUYABLE</c> (a variation parent, which has no
/// offer, only <c>DISCOVERABLE</c>). A child must name a parent put before it and carry each attribute of the
/// parent's <c>variation_theme</c> (INVALID otherwise).
/// </summary>
// UNCONFIRMED: the reference documents no variation attributes; the family checks follow Amazon's public schemas.
public sealed class FakeAmazonServer(TimeProvider clock) : KestrelFake
{
    public const string SellerId = "A3SELLER7Q2XKZ";
    public const string ClientId = "amzn1.application-oa2-client.4f2c9e";
    public const string ClientSecret = "lwa-secret-91b7d3";
    public const string RefreshToken = "Atzr|IwEBfake-refresh-01";
    public const string TokenPath = "/auth/o2/token";

    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    /// <summary>Product types the fake's catalog knows (a put of another is INVALID on productType).</summary>
    private static readonly HashSet<string> ProductTypes = ["PRODUCT", "WATER_BOTTLE", "LUGGAGE"];

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new();
    private int _asins;

    public ConcurrentDictionary<string, FakeAmazonListing> Listings { get; } = new();

    public ConcurrentQueue<AmazonRequest> Requests { get; } = new();

    /// <summary>The form of every token exchange, accepted or not.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Exchanges { get; } = new();

    public ConcurrentQueue<string> IssuedTokens { get; } = new();

    /// <summary>Issues every put answers with besides the fake's own checks (INVALID when one is an ERROR).</summary>
    public List<JsonObject> PutIssues { get; } = [];

    /// <summary>Issues a get reports once the item is processed (an image Amazon could not fetch, say).</summary>
    public List<JsonObject> ProcessingIssues { get; } = [];

    /// <summary>Issues a get reports for one SKU once it is processed, besides <see cref="ProcessingIssues"/>.</summary>
    public ConcurrentDictionary<string, List<JsonObject>> ProcessingIssuesOf { get; } = new();

    public int HiddenReads { get; set; }

    public int PendingReads { get; set; } = 1;

    public static async Task<FakeAmazonServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeAmazonServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    /// <summary>Canned answers for the next calls of one operation: token, productTypes, put, get, patch, delete.</summary>
    public ConcurrentQueue<Fault> FaultsFor(string operation) => _faults.GetOrAdd(operation, _ => new ConcurrentQueue<Fault>());

    /// <summary>Amazon forgets every token it issued (revoked, or expired early on its side).</summary>
    public void ForgetTokens() => _tokens.Clear();

    public IEnumerable<AmazonRequest> Calls(string operation) => Requests.Where(r => r.Operation == operation);

    public static JsonObject Issue(string code, string message, string severity, params string[] attributeNames) => new()
    {
        ["code"] = code,
        ["message"] = message,
        ["severity"] = severity,
        ["attributeNames"] = new JsonArray([.. attributeNames.Select(n => (JsonNode)n)]),
    };

    protected override void Map(WebApplication app)
    {
        app.MapPost(TokenPath, async (HttpContext context) =>
        {
            if (FaultsFor("token").TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            if (!context.Request.HasFormContentType)
            {
                return LwaError("invalid_request", "Content-Type must be application/x-www-form-urlencoded");
            }

            var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            Exchanges.Enqueue(form);
            if (form.GetValueOrDefault("grant_type") != "refresh_token")
            {
                return LwaError("unsupported_grant_type", "The authorization grant type is not supported");
            }

            if (!Same(form.GetValueOrDefault("client_id"), ClientId) || !Same(form.GetValueOrDefault("client_secret"), ClientSecret))
            {
                return LwaError("invalid_client", "Client authentication failed");
            }

            if (!Same(form.GetValueOrDefault("refresh_token"), RefreshToken))
            {
                return LwaError("invalid_grant", "The request has an invalid grant parameter : refresh_token");
            }

            var token = $"Atza|{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
            _tokens[token] = clock.GetUtcNow() + TokenLifetime;
            IssuedTokens.Enqueue(token);
            return Json(new JsonObject
            {
                ["access_token"] = token,
                ["refresh_token"] = RefreshToken,
                ["token_type"] = "bearer",
                ["expires_in"] = (int)TokenLifetime.TotalSeconds,
            });
        });

        app.MapGet("/definitions/2020-09-01/productTypes", async (HttpContext context) =>
        {
            var (refused, _) = await AcceptAsync(context, "productTypes", "");
            if (refused is not null)
            {
                return refused;
            }

            var marketplace = context.Request.Query["marketplaceIds"].ToString();
            return Json(new JsonObject
            {
                ["productTypes"] = new JsonArray([.. ProductTypes.Select(t => (JsonNode)new JsonObject { ["name"] = t, ["marketplaceIds"] = new JsonArray(marketplace) })]),
            });
        });

        const string Item = "/listings/2021-08-01/items/{sellerId}/{sku}";
        app.MapPut(Item, async (string sellerId, string sku, HttpContext context) =>
        {
            var (refused, body) = await AcceptAsync(context, "put", sku, sellerId);
            if (refused is not null)
            {
                return refused;
            }

            if (body?["productType"]?.GetValueKind() != System.Text.Json.JsonValueKind.String || body["attributes"] is not JsonObject attributes)
            {
                return Errors(400, "InvalidInput", "Request has missing or invalid parameters and cannot be parsed.");
            }

            var productType = body["productType"]!.GetValue<string>();
            var issues = new List<JsonObject>();
            if (!ProductTypes.Contains(productType))
            {
                issues.Add(Issue("4000001", $"The provided product type '{productType}' is not valid.", "ERROR", "productType"));
            }

            if (string.IsNullOrWhiteSpace(attributes["item_name"]?[0]?["value"]?.ToString()))
            {
                issues.Add(Issue("90220", "'item_name' is required but not supplied.", "ERROR", "item_name"));
            }

            issues.AddRange(FamilyIssues(attributes));
            issues.AddRange(PutIssues.Select(i => (JsonObject)i.DeepClone()));
            if (issues.Any(i => i["severity"]!.GetValue<string>() == "ERROR"))
            {
                return Submission(sku, "INVALID", issues);
            }

            Listings.AddOrUpdate(
                sku,
                _ => new FakeAmazonListing(productType, attributes, $"B0{Interlocked.Increment(ref _asins):D8}"),
                (_, existing) =>
                {
                    existing.ProductType = productType;
                    existing.Attributes = attributes;
                    return existing;
                });
            return Submission(sku, "ACCEPTED", issues);
        });

        app.MapGet(Item, async (string sellerId, string sku, HttpContext context) =>
        {
            var (refused, _) = await AcceptAsync(context, "get", sku, sellerId);
            if (refused is not null)
            {
                return refused;
            }

            if (!Listings.TryGetValue(sku, out var listing) || ++listing.Reads <= HiddenReads)
            {
                return Errors(404, "NOT_FOUND", $"SKU '{sku}' not found in marketplace {context.Request.Query["marketplaceIds"]}");
            }

            var included = context.Request.Query["includedData"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            var processed = listing.Reads > HiddenReads + PendingReads;
            var item = new JsonObject { ["sku"] = sku };
            if (included.Length == 0 || included.Contains("summaries"))
            {
                item["summaries"] = new JsonArray(new JsonObject
                {
                    ["marketplaceId"] = context.Request.Query["marketplaceIds"].ToString(),
                    ["asin"] = listing.Asin,
                    ["productType"] = listing.ProductType,
                    ["conditionType"] = "new_new",
                    ["status"] = !processed ? new JsonArray() : listing.IsParent ? new JsonArray("DISCOVERABLE") : new JsonArray("BUYABLE", "DISCOVERABLE"),
                    ["itemName"] = listing.Value("item_name"),
                    ["createdDate"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                    ["lastUpdatedDate"] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                });
            }

            if (included.Contains("issues"))
            {
                var own = ProcessingIssuesOf.GetValueOrDefault(sku) ?? [];
                item["issues"] = new JsonArray([.. (processed ? ProcessingIssues.Concat(own) : []).Select(i => i.DeepClone())]);
            }

            return Json(item);
        });

        app.MapPatch(Item, async (string sellerId, string sku, HttpContext context) =>
        {
            var (refused, body) = await AcceptAsync(context, "patch", sku, sellerId);
            if (refused is not null)
            {
                return refused;
            }

            if (body?["productType"] is null || body["patches"] is not JsonArray { Count: > 0 } patches)
            {
                return Errors(400, "InvalidInput", "Request has missing or invalid parameters and cannot be parsed.");
            }

            if (!Listings.TryGetValue(sku, out var listing))
            {
                return Errors(404, "NOT_FOUND", $"SKU '{sku}' not found");
            }

            foreach (var patch in patches.OfType<JsonObject>())
            {
                var name = patch["path"]!.GetValue<string>()["/attributes/".Length..];
                if (patch["op"]!.GetValue<string>() == "delete")
                {
                    listing.Attributes.Remove(name);
                }
                else
                {
                    listing.Attributes[name] = patch["value"]!.DeepClone();
                }
            }

            return Submission(sku, "ACCEPTED", []);
        });

        app.MapDelete(Item, async (string sellerId, string sku, HttpContext context) =>
        {
            var (refused, _) = await AcceptAsync(context, "delete", sku, sellerId);
            if (refused is not null)
            {
                return refused;
            }

            return Listings.TryRemove(sku, out _) ? Submission(sku, "ACCEPTED", []) : Errors(404, "NOT_FOUND", $"SKU '{sku}' not found");
        });
    }

    /// <summary>
    /// The checks every SP-API call passes (§8.2, §8.3): a live access token, the seller the token belongs to, and
    /// <c>marketplaceIds</c>; then the request is logged and a queued fault, if any, answers instead.
    /// </summary>
    private async Task<(IResult? Refused, JsonObject? Body)> AcceptAsync(HttpContext context, string operation, string sku, string sellerId = SellerId)
    {
        var token = context.Request.Headers["x-amz-access-token"].ToString();
        if (!_tokens.TryGetValue(token, out var expires) || clock.GetUtcNow() >= expires)
        {
            return (Errors(403, "Unauthorized", "Access to requested resource is denied.", "The access token you provided is revoked, malformed or invalid."), null);
        }

        if (sellerId != SellerId)
        {
            return (Errors(403, "Unauthorized", "Access to requested resource is denied."), null);
        }

        var text = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var body = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        Requests.Enqueue(new AmazonRequest(
            operation,
            sku,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            body,
            token,
            context.Request.Headers.UserAgent.ToString(),
            clock.GetUtcNow()));
        if (FaultsFor(operation).TryDequeue(out var fault))
        {
            return (Serve(fault), body);
        }

        if (string.IsNullOrEmpty(context.Request.Query["marketplaceIds"]))
        {
            return (Errors(400, "InvalidInput", "Missing required 'marketplaceIds' parameter."), body);
        }

        return (null, body);
    }

    /// <summary>A child names a parent the seller has, and carries a value for each part of the parent's theme.</summary>
    private List<JsonObject> FamilyIssues(JsonObject attributes)
    {
        var issues = new List<JsonObject>();
        if (attributes["parentage_level"]?[0]?["value"]?.ToString() != "child")
        {
            return issues;
        }

        var parentSku = attributes["child_parent_sku_relationship"]?[0]?["parent_sku"]?.ToString();
        if (parentSku is null || !Listings.TryGetValue(parentSku, out var parent) || !parent.IsParent)
        {
            issues.Add(Issue("8105", $"The parent SKU '{parentSku}' does not exist or is not a variation parent.", "ERROR", "child_parent_sku_relationship"));
            return issues;
        }

        foreach (var part in (parent.Value("variation_theme", "name") ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = part.ToLowerInvariant();
            if (string.IsNullOrWhiteSpace(attributes[name]?[0]?["value"]?.ToString()))
            {
                issues.Add(Issue("90220", $"'{name}' is required but not supplied.", "ERROR", name));
            }
        }

        return issues;
    }

    private static IResult Submission(string sku, string status, IEnumerable<JsonObject> issues) => Json(new JsonObject
    {
        ["sku"] = sku,
        ["status"] = status,
        ["submissionId"] = Guid.NewGuid().ToString("N"),
        ["issues"] = new JsonArray([.. issues]),
    });

    private static IResult LwaError(string error, string description) =>
        Json(new JsonObject { ["error"] = error, ["error_description"] = description }, 400);

    /// <summary>An <c>ErrorList</c> answer (§8.5).</summary>
    public static IResult Errors(int status, string code, string message, string? details = null) =>
        Results.Content(ErrorList(code, message, details), "application/json", statusCode: status);

    public static string ErrorList(string code, string message, string? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null)
        {
            error["details"] = details;
        }

        return new JsonObject { ["errors"] = new JsonArray(error) }.ToJsonString();
    }

    private static IResult Json(JsonObject body, int status = 200) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    private static bool Same(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
