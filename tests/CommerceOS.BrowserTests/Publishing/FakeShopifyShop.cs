using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CommerceOS.BrowserTests.Publishing;

/// <summary>
/// One Shopify shop for the browser test: a loopback Kestrel app answering the Admin GraphQL operations the real adapter
/// sends (<c>ShopifyPublisher</c>), addressed as <c>/{shop}/admin/api/{version}/graphql.json</c> through the server's
/// <c>Publishing:Shopify:ShopUrlTemplate</c>. Every call must carry the shop's <c>X-Shopify-Access-Token</c> (401
/// otherwise); productSet upserts by the listing-key custom ID or updates by id, and every image is READY at once. The
/// full-featured fake (throttling, staged uploads, grants, faults) is the connector tests' <c>FakeShopifyServer</c>.
/// </summary>
public sealed class FakeShopifyShop : IAsyncDisposable
{
    public const string Shop = "aurora-outdoor.myshopify.com";
    public const string ShopTitle = "Aurora Outdoor";
    public const string Token = "shpat_browser_5d1e77a0";
    public const string Currency = "USD";
    public const string Version = "2025-10";
    public const string LocationId = "gid://shopify/Location/7001";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byListingKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> _definitions = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _nextId = 8_100_000_000;

    private FakeShopifyShop(WebApplication app) => _app = app;

    /// <summary>The <c>ShopUrlTemplate</c> that points the server at this shop.</summary>
    public string ShopUrlTemplate { get; private set; } = "";

    /// <summary>Every productSet received: its <c>identifier</c> and <c>input</c> variables, in order.</summary>
    public ConcurrentQueue<(JsonObject Identifier, JsonObject Input)> ProductSets { get; } = new();

    /// <summary>productSet waits for this before it writes: a test holds the publish under way while it looks.</summary>
    public Task ProductSetGate { get; set; } = Task.CompletedTask;

    /// <summary>The operation names received, in order (a refused token included).</summary>
    public ConcurrentQueue<string> Operations { get; } = new();

    public static async Task<FakeShopifyShop> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var fake = new FakeShopifyShop(builder.Build());
        fake._app.MapPost("/{shop}/admin/api/{version}/graphql.json", fake.GraphQlAsync);
        await fake._app.StartAsync();
        fake.ShopUrlTemplate = fake._app.Urls.First().TrimEnd('/') + "/{shop}";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> GraphQlAsync(string shop, string version, HttpContext context)
    {
        if (shop != Shop || version != Version)
        {
            return Results.Text("<!DOCTYPE html><html><body>Not Found</body></html>", "text/html", statusCode: 404);
        }

        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync()) as JsonObject ?? [];
        var operation = body["operationName"]?.GetValue<string>() ?? "";
        var query = body["query"]?.GetValue<string>() ?? "";
        var variables = body["variables"] as JsonObject ?? [];
        Operations.Enqueue(operation);
        if (context.Request.Headers["X-Shopify-Access-Token"].ToString() != Token)
        {
            return Json(401, new JsonObject { ["errors"] = "[API] Invalid API key or access token (unrecognized login or wrong password)" });
        }

        if (operation == "CommerceOSProductSet")
        {
            await ProductSetGate.WaitAsync(TimeSpan.FromSeconds(60));
        }

        JsonObject? data;
        lock (_lock)
        {
            data = operation switch
            {
                "CommerceOSShop" when query.Contains("shop {", StringComparison.Ordinal) =>
                    new JsonObject { ["shop"] = new JsonObject { ["name"] = ShopTitle, ["myshopifyDomain"] = Shop, ["currencyCode"] = Currency } },
                "CommerceOSContext" when query.Contains("location {", StringComparison.Ordinal) =>
                    new JsonObject { ["shop"] = new JsonObject { ["currencyCode"] = Currency }, ["location"] = new JsonObject { ["id"] = LocationId } },
                "CommerceOSListingKey" when query.Contains("metafieldDefinitionCreate(", StringComparison.Ordinal) => DefinitionCreate(variables),
                "CommerceOSProductSet" when query.Contains("productSet(", StringComparison.Ordinal) => ProductSet(variables),
                "CommerceOSLookup" when query.Contains("productByIdentifier(", StringComparison.Ordinal) =>
                    new JsonObject { ["productByIdentifier"] = ByCustomId(variables["identifier"]?["customId"])?.DeepClone() },
                "CommerceOSMedia" when query.Contains("product(id:", StringComparison.Ordinal) =>
                    new JsonObject { ["product"] = _products.GetValueOrDefault(variables["id"]?.GetValue<string>() ?? "")?.DeepClone() },
                _ => null,
            };
        }

        return data is null
            ? Json(200, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = $"Unknown operation {operation}", ["extensions"] = new JsonObject { ["code"] = "undefinedField" } }) })
            : Json(200, new JsonObject { ["data"] = data });
    }

    private JsonObject DefinitionCreate(JsonObject variables)
    {
        var definition = variables["definition"] as JsonObject ?? [];
        JsonArray errors = [];
        if (definition["type"]?.GetValue<string>() != "id" || definition["ownerType"]?.GetValue<string>() != "PRODUCT")
        {
            errors.Add(UserError(["definition", "type"], "Type must be id for a product custom ID.", "INVALID"));
        }
        else if (!_definitions.Add($"{definition["namespace"]}.{definition["key"]}"))
        {
            errors.Add(UserError(["definition", "key"], "Key is in use for Product metafields.", "TAKEN"));
        }

        return new JsonObject
        {
            ["metafieldDefinitionCreate"] = new JsonObject
            {
                ["createdDefinition"] = errors.Count == 0 ? new JsonObject { ["id"] = "gid://shopify/MetafieldDefinition/501" } : null,
                ["userErrors"] = errors,
            },
        };
    }

    /// <summary>An upsert by custom ID (which needs its definition) or an update by id; the product answered as the adapter asks for it.</summary>
    private JsonObject ProductSet(JsonObject variables)
    {
        var input = variables["input"] as JsonObject ?? [];
        var identifier = variables["identifier"] as JsonObject ?? [];
        ProductSets.Enqueue(((JsonObject)identifier.DeepClone(), (JsonObject)input.DeepClone()));
        JsonObject? product;
        if (identifier["id"]?.GetValue<string>() is { } id)
        {
            product = _products.GetValueOrDefault(id);
            if (product is null)
            {
                return SetAnswer(null, UserError(["identifier", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST"));
            }
        }
        else if (identifier["customId"] is JsonObject custom && _definitions.Contains($"{custom["namespace"]}.{custom["key"]}"))
        {
            product = ByCustomId(custom);
            if (product is null)
            {
                if (string.IsNullOrWhiteSpace(input["title"]?.GetValue<string>()))
                {
                    return SetAnswer(null, UserError(["input", "title"], "Title can't be blank", "BLANK"));
                }

                var productId = $"gid://shopify/Product/{_nextId++}";
                product = new JsonObject { ["id"] = productId, ["media"] = new JsonObject { ["nodes"] = new JsonArray() } };
                _products[productId] = product;
                _byListingKey[custom["value"]?.GetValue<string>() ?? ""] = productId;
            }
        }
        else
        {
            return SetAnswer(null, UserError(["identifier"], "A known id, or a custom ID with its metafield definition, is required.", "INVALID"));
        }

        product["handle"] = input["handle"]?.GetValue<string>() ?? product["handle"]?.GetValue<string>();
        product["status"] = input["status"]?.GetValue<string>() ?? product["status"]?.GetValue<string>() ?? "ACTIVE";
        if (input["files"] is JsonArray files)
        {
            product["media"] = new JsonObject
            {
                ["nodes"] = new JsonArray([.. files.Select((_, i) => (JsonNode)new JsonObject
                {
                    ["id"] = $"gid://shopify/MediaImage/{_nextId + i}",
                    ["status"] = "READY",
                    ["mediaErrors"] = new JsonArray(),
                })]),
            };
        }

        return SetAnswer(product, null);
    }

    private JsonObject? ByCustomId(JsonNode? custom)
    {
        var value = custom?["value"]?.GetValue<string>();
        return value is not null && _byListingKey.TryGetValue(value, out var id) ? _products[id] : null;
    }

    private static JsonObject SetAnswer(JsonObject? product, JsonObject? error) => new()
    {
        ["productSet"] = new JsonObject { ["product"] = product?.DeepClone(), ["userErrors"] = error is null ? new JsonArray() : new JsonArray(error) },
    };

    private static JsonObject UserError(string[] field, string message, string code) => new()
    {
        ["field"] = new JsonArray([.. field.Select(part => (JsonNode)part)]),
        ["message"] = message,
        ["code"] = code,
    };

    private static IResult Json(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);
}
