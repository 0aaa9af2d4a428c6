using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopify;

/// <summary>
/// One Shopify shop as external-apis.md section 7 documents it, addressed as <c>/{shop}/admin/...</c> (the tests' shop URL
/// template). The client-credentials grant (7.2) checks the client id and secret; every GraphQL call (7.1) must carry
/// <c>X-Shopify-Access-Token</c> with the static token or an unexpired granted one (401 otherwise), names a supported
/// version (404 otherwise) and pays from a cost bucket that refills on the shared clock (7.7: THROTTLED with HTTP
/// <see cref="ThrottleStatus"/>, <c>extensions.cost</c> on every answer). <c>productSet</c> (7.3) upserts by custom ID,
/// replaces the lists it is given and answers <c>userErrors</c> for what it refuses; staged uploads (7.4) take a multipart
/// form whose fields must come in the issued order with the file last; media stay processing for
/// <see cref="MediaPendingPolls"/> product reads, then end READY or, with <see cref="MediaFailure"/>, FAILED.
/// </summary>
public sealed class FakeShopifyServer(TimeProvider clock) : KestrelFake
{
    public const string Shop = "commerceos-test.myshopify.com";
    public const string ShopTitle = "CommerceOS Test Shop";
    public const string StaticToken = "shpat_static_0f3c9a51";
    public const string ClientId = "c1d2e3-client";
    public const string ClientSecret = "shpss_94be1c70aa";
    public const string LocationId = "gid://shopify/Location/7001";
    public const string Version = "2025-10";
    public const int GrantSeconds = 86399;

    private static readonly byte[] UploadSigningKey = "fake-gcs-signing-key"u8.ToArray();

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _grants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeProduct> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StagedTarget> _targets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _definitions = new(StringComparer.Ordinal);
    private long _nextId = 8_100_000_000;
    private double _available = 1000;
    private DateTimeOffset _refilledAt = clock.GetUtcNow();

    public string Currency { get; set; } = "USD";

    public double MaximumAvailable { get; set; } = 1000;

    public double RestoreRate { get; set; } = 50;

    /// <summary>Shopify's docs say throttling answers 200; some clients report 429 (section 7.7).</summary>
    public int ThrottleStatus { get; set; } = 200;

    public int? ThrottleRetryAfterSeconds { get; set; }

    public int QueryCost { get; set; } = 1;

    public int MutationCost { get; set; } = 10;

    public int MediaPendingPolls { get; set; }

    public string? MediaFailure { get; set; }

    /// <summary>Operation names answered with ACCESS_DENIED (a scope the app lacks).</summary>
    public HashSet<string> Denied { get; } = new(StringComparer.Ordinal);

    /// <summary>Served instead of the next GraphQL answer, before anything is done.</summary>
    public ConcurrentQueue<Fault> GraphQlFaults { get; } = new();

    /// <summary>Served instead of the next productSet answer, after the write was made (an answer lost on the way back).</summary>
    public ConcurrentQueue<Fault> FaultsAfterWrite { get; } = new();

    public Fault? AlwaysOnGraphQl { get; set; }

    /// <summary>Added to the next productSet's userErrors (the write is then refused).</summary>
    public ConcurrentQueue<JsonObject> InjectedUserErrors { get; } = new();

    public ConcurrentQueue<Call> Calls { get; } = new();

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> TokenRequests { get; } = new();

    public ConcurrentQueue<Upload> Uploads { get; } = new();

    public int Refused401 => Volatile.Read(ref _refused401);

    private int _refused401;

    public IReadOnlyList<FakeProduct> Products
    {
        get
        {
            lock (_lock)
            {
                return [.. _products.Values];
            }
        }
    }

    public IEnumerable<Call> CallsOf(string operation) => Calls.Where(call => call.Operation == operation);

    public static async Task<FakeShopifyServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeShopifyServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    /// <summary>Empties the cost bucket to <paramref name="points"/>, as if other calls had just spent it.</summary>
    public void SetAvailable(double points)
    {
        lock (_lock)
        {
            _available = points;
            _refilledAt = clock.GetUtcNow();
        }
    }

    /// <summary>The seller deletes the product in the Shopify admin.</summary>
    public void Delete(string productId)
    {
        lock (_lock)
        {
            _products.Remove(productId);
        }
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/{shop}/admin/oauth/access_token", async (string shop, HttpContext context) =>
        {
            if (shop != Shop)
            {
                return Results.Text("Not Found", statusCode: 404);
            }

            var form = await context.Request.ReadFormAsync();
            var fields = form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
            TokenRequests.Enqueue(fields);
            if (fields.GetValueOrDefault("grant_type") != "client_credentials")
            {
                return OAuthError("unsupported_grant_type", "The authorization grant type is not supported.");
            }

            if (!SameSecret(fields.GetValueOrDefault("client_id"), ClientId) || !SameSecret(fields.GetValueOrDefault("client_secret"), ClientSecret))
            {
                // UNCONFIRMED: status and wording of a refused grant; RFC 6749's invalid_client.
                return OAuthError("invalid_client", "Client authentication failed due to unknown client or wrong client secret.");
            }

            var token = $"shpat_grant_{Guid.NewGuid():N}";
            lock (_lock)
            {
                _grants[token] = clock.GetUtcNow().AddSeconds(GrantSeconds);
            }

            return Json(200, new JsonObject { ["access_token"] = token, ["scope"] = "read_products,write_products,read_files,write_files,read_locations,write_inventory", ["expires_in"] = GrantSeconds });
        });

        app.MapPost("/{shop}/admin/api/{version}/graphql.json", async (string shop, string version, HttpContext context) =>
        {
            if (shop != Shop || version != Version)
            {
                return Results.Text("<!DOCTYPE html><html><body>Not Found</body></html>", "text/html", statusCode: 404);
            }

            var token = context.Request.Headers["X-Shopify-Access-Token"].ToString();
            if (!Authorized(token))
            {
                Interlocked.Increment(ref _refused401);
                return Json(401, new JsonObject { ["errors"] = "[API] Invalid API key or access token (unrecognized login or wrong password)" });
            }

            if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
            {
                return Json(400, new JsonObject { ["errors"] = "Content-Type must be application/json" });
            }

            var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
            var body = JsonNode.Parse(text) as JsonObject ?? [];
            var operation = body["operationName"]?.GetValue<string>() ?? "";
            var query = body["query"]?.GetValue<string>() ?? "";
            var variables = body["variables"] as JsonObject ?? [];
            Calls.Enqueue(new Call(operation, query, variables, text, clock.GetUtcNow(), token));
            if (GraphQlFaults.TryDequeue(out var fault) || (fault = AlwaysOnGraphQl) is not null)
            {
                return Serve(fault);
            }

            var cost = query.TrimStart().StartsWith("mutation", StringComparison.Ordinal) ? MutationCost : QueryCost;
            if (Spend(cost) is { } throttled)
            {
                return throttled;
            }

            if (Denied.Contains(operation))
            {
                return Answer(null, cost, new JsonArray(new JsonObject
                {
                    ["message"] = $"Access denied for {operation}. Required access: `write_products` access scope.",
                    ["extensions"] = new JsonObject { ["code"] = "ACCESS_DENIED" },
                }));
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
                    "CommerceOSStage" when query.Contains("stagedUploadsCreate(", StringComparison.Ordinal) => StagedUploadsCreate(variables),
                    "CommerceOSProductSet" when query.Contains("productSet(", StringComparison.Ordinal) => ProductSet(variables),
                    "CommerceOSLookup" when query.Contains("productByIdentifier(", StringComparison.Ordinal) => new JsonObject { ["productByIdentifier"] = ByCustomId(variables["identifier"]?["customId"])?.Node(false) },
                    "CommerceOSMedia" when query.Contains("product(id:", StringComparison.Ordinal) =>
                        new JsonObject { ["product"] = _products.GetValueOrDefault(variables["id"]?.GetValue<string>() ?? "")?.Node(advanceMedia: true) },
                    _ => null,
                };
            }

            if (data is null)
            {
                return Answer(null, cost, new JsonArray(new JsonObject { ["message"] = $"Unknown operation {operation}", ["extensions"] = new JsonObject { ["code"] = "undefinedField" } }));
            }

            if (operation == "CommerceOSProductSet" && FaultsAfterWrite.TryDequeue(out var lost))
            {
                return Serve(lost);
            }

            return Answer(data, cost, null);
        });

        app.MapPost("/staged/{id}", async (string id, HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            StagedTarget? target;
            lock (_lock)
            {
                target = _targets.GetValueOrDefault(id);
            }

            var names = form.Keys.ToList();
            var file = form.Files.GetFile("file");
            var bytes = file is null ? [] : await ReadAllAsync(file);
            Uploads.Enqueue(new Upload(id, names, form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal), file?.FileName, file?.ContentType, bytes, context.Request.Headers.ContainsKey("X-Shopify-Access-Token")));
            if (target is null)
            {
                return StorageError(404, "NoSuchUpload", "The staged target does not exist.");
            }

            // Every issued parameter, unchanged; the policy signature checked as storage would; the file comes last.
            var issued = target.Parameters.Select(pair => pair.Key).ToList();
            if (!names.SequenceEqual(issued) || target.Parameters.Any(pair => form[pair.Key].ToString() != pair.Value)
                || !SameSecret(form["x-goog-signature"].ToString(), Sign(form["policy"].ToString())))
            {
                return StorageError(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed.");
            }

            if (file is null || file.ContentType != form["Content-Type"].ToString())
            {
                return StorageError(400, "InvalidArgument", "The file is missing or its Content-Type differs from the policy.");
            }

            if (bytes.Length > target.MaxBytes)
            {
                return StorageError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
            }

            lock (_lock)
            {
                target.Uploaded = bytes;
            }

            return Results.Text($"<PostResponse><Key>{target.Key}</Key></PostResponse>", "application/xml", statusCode: 201);
        });
    }

    private bool Authorized(string token)
    {
        if (SameSecret(token, StaticToken))
        {
            return true;
        }

        lock (_lock)
        {
            return _grants.Any(grant => SameSecret(token, grant.Key) && clock.GetUtcNow() < grant.Value);
        }
    }

    /// <summary>Section 7.7's leaky bucket: refills at <see cref="RestoreRate"/> per second of the shared clock.</summary>
    private IResult? Spend(int cost)
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            _available = Math.Min(MaximumAvailable, _available + (now - _refilledAt).TotalSeconds * RestoreRate);
            _refilledAt = now;
            if (cost <= _available)
            {
                _available -= cost;
                return null;
            }
        }

        var body = new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["message"] = "Throttled",
                ["extensions"] = new JsonObject { ["code"] = "THROTTLED", ["documentation"] = "https://shopify.dev/api/usage/rate-limits" },
            }),
            ["extensions"] = Cost(cost, null),
        };
        return Serve(async context =>
        {
            if (ThrottleRetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            context.Response.StatusCode = ThrottleStatus;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString());
        });
    }

    private JsonObject Cost(int requested, int? actual)
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["cost"] = new JsonObject
                {
                    ["requestedQueryCost"] = requested,
                    ["actualQueryCost"] = actual,
                    ["throttleStatus"] = new JsonObject { ["maximumAvailable"] = MaximumAvailable, ["currentlyAvailable"] = Math.Floor(_available), ["restoreRate"] = RestoreRate },
                },
            };
        }
    }

    private IResult Answer(JsonObject? data, int cost, JsonArray? errors)
    {
        var body = new JsonObject { ["data"] = data };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        body["extensions"] = Cost(cost, cost);
        return Json(200, body);
    }

    // UNCONFIRMED: the wording of TAKEN; the guide only says a definition must exist before custom IDs are used.
    private JsonObject DefinitionCreate(JsonObject variables)
    {
        var definition = variables["definition"] as JsonObject ?? [];
        var key = $"{definition["namespace"]}.{definition["key"]}";
        JsonArray errors = [];
        if (definition["type"]?.GetValue<string>() != "id" || definition["ownerType"]?.GetValue<string>() != "PRODUCT")
        {
            errors.Add(UserError(["definition", "type"], "Type must be id for a product custom ID.", "INVALID"));
        }
        else if (!_definitions.Add(key))
        {
            errors.Add(UserError(["definition", "key"], $"Key is in use for Product metafields on the '{definition["namespace"]}' namespace.", "TAKEN"));
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

    private JsonObject StagedUploadsCreate(JsonObject variables)
    {
        JsonArray targets = [];
        JsonArray errors = [];
        var inputs = variables["input"] as JsonArray ?? [];
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i]!;
            var mime = input["mimeType"]?.GetValue<string>() ?? "";
            if (!mime.StartsWith("image/", StringComparison.Ordinal) || input["resource"]?.GetValue<string>() != "IMAGE" || input["httpMethod"]?.GetValue<string>() != "POST")
            {
                errors.Add(UserError(["input", i.ToString(CultureInfo.InvariantCulture), "mimeType"], "Invalid mime type for an image.", null));
                continue;
            }

            var id = Guid.NewGuid().ToString("N");
            var key = $"tmp/64213/products/{id}/{input["filename"]}";
            var policy = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"key\":\"{key}\",\"size\":\"{input["fileSize"]}\"}}"));
            List<KeyValuePair<string, string>> parameters =
            [
                new("Content-Type", mime),
                new("success_action_status", "201"),
                new("acl", "private"),
                new("key", key),
                new("x-goog-date", clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)),
                new("x-goog-credential", "merchant-assets@shopify-tiers.iam.gserviceaccount.com/20261129/auto/storage/goog4_request"),
                new("x-goog-algorithm", "GOOG4-RSA-SHA256"),
                new("policy", policy),
                new("x-goog-signature", Sign(policy)),
            ];
            _targets[id] = new StagedTarget(id, key, parameters, MaxBytes: 20 * 1024 * 1024);
            targets.Add(new JsonObject
            {
                ["url"] = $"{BaseUrl}/staged/{id}",
                ["resourceUrl"] = $"{BaseUrl}/staged/{id}/resource",
                ["parameters"] = new JsonArray([.. parameters.Select(pair => (JsonNode)new JsonObject { ["name"] = pair.Key, ["value"] = pair.Value })]),
            });
        }

        return new JsonObject { ["stagedUploadsCreate"] = new JsonObject { ["stagedTargets"] = errors.Count == 0 ? targets : null, ["userErrors"] = errors } };
    }

    private JsonObject ProductSet(JsonObject variables)
    {
        var input = variables["input"] as JsonObject ?? [];
        var identifier = variables["identifier"] as JsonObject ?? [];
        JsonArray errors = [];
        FakeProduct? product = null;
        string? customId = null;
        if (identifier["id"]?.GetValue<string>() is { } id)
        {
            product = _products.GetValueOrDefault(id);
            if (product is null)
            {
                // UNCONFIRMED: the code of an update by id whose product is gone.
                errors.Add(UserError(["identifier", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST"));
            }
        }
        else if (identifier["customId"] is JsonObject custom)
        {
            if (!_definitions.Contains($"{custom["namespace"]}.{custom["key"]}"))
            {
                errors.Add(UserError(["identifier", "customId"], "No metafield definition of type id exists for this namespace and key.", "INVALID"));
            }

            customId = custom["value"]?.GetValue<string>();
            product = ByCustomId(custom);
        }
        else
        {
            errors.Add(UserError(["identifier"], "An identifier is required.", "INVALID"));
        }

        if (errors.Count == 0)
        {
            Validate(input, product, customId, errors);
        }

        while (InjectedUserErrors.TryDequeue(out var injected))
        {
            errors.Add(injected);
        }

        if (errors.Count > 0)
        {
            return new JsonObject { ["productSet"] = new JsonObject { ["product"] = null, ["userErrors"] = errors } };
        }

        if (product is null)
        {
            product = new FakeProduct($"gid://shopify/Product/{_nextId++}");
            _products[product.Id] = product;
        }

        product.Apply(input, source => Media(source));
        return new JsonObject { ["productSet"] = new JsonObject { ["product"] = product.Node(false), ["userErrors"] = new JsonArray() } };
    }

    private static void Validate(JsonObject input, FakeProduct? product, string? customId, JsonArray errors)
    {
        if (product is null && string.IsNullOrWhiteSpace(input["title"]?.GetValue<string>()))
        {
            errors.Add(UserError(["input", "title"], "Title can't be blank", "BLANK"));
        }

        if (input["productOptions"] is JsonArray options && options.Count > 3)
        {
            errors.Add(UserError(["input", "productOptions"], "Options count is over the allowed limit.", "OPTIONS_OVER_LIMIT"));
        }

        if (input["category"]?.GetValue<string>() is { } category && !category.StartsWith("gid://shopify/TaxonomyCategory/", StringComparison.Ordinal))
        {
            errors.Add(UserError(["input", "category"], "Category does not exist.", "INVALID_INPUT"));
        }

        if (input["metafields"] is JsonArray metafields)
        {
            foreach (var metafield in metafields)
            {
                if (metafield?["key"]?.GetValue<string>() == "listing_key" && customId is not null
                    && (metafield["type"]?.GetValue<string>() != "id" || metafield["value"]?.GetValue<string>() != customId))
                {
                    errors.Add(UserError(["input", "metafields", "0", "value"], "The custom ID metafield must match the identifier.", "INVALID"));
                }
            }
        }

        var variants = input["variants"] as JsonArray ?? [];
        var optionCount = (input["productOptions"] as JsonArray)?.Count ?? product?.Options.Count ?? 0;
        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i]!;
            var index = i.ToString(CultureInfo.InvariantCulture);
            if (variant["price"]?.GetValue<string>() is { } price
                && (!decimal.TryParse(price, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount) || amount < 0))
            {
                errors.Add(UserError(["input", "variants", index, "price"], "Price must be greater than or equal to 0", "INVALID_VARIANT"));
            }

            if ((variant["optionValues"] as JsonArray)?.Count != optionCount)
            {
                errors.Add(UserError(["input", "variants", index, "optionValues"], "Option values must be provided for every option.", "INVALID_VARIANT"));
            }

            if (variant["inventoryQuantities"] is JsonArray quantities
                && quantities.Any(quantity => quantity?["locationId"]?.GetValue<string>() != LocationId || quantity?["name"]?.GetValue<string>() is not ("available" or "on_hand")))
            {
                errors.Add(UserError(["input", "variants", index, "inventoryQuantities", "0", "locationId"], "Location does not exist or quantity name is invalid.", "INVALID_INVENTORY"));
            }
        }
    }

    /// <summary>A new media node for a <c>files</c> entry: a staged source that never got its bytes fails.</summary>
    private FakeMedia Media(string source)
    {
        var staged = _targets.Values.FirstOrDefault(target => source == $"{BaseUrl}/staged/{target.Id}/resource");
        var failure = staged is not null && staged.Uploaded is null ? "File could not be downloaded from the staged upload." : MediaFailure;
        return new FakeMedia($"gid://shopify/MediaImage/{_nextId++}", source, MediaPendingPolls, failure, staged?.Uploaded);
    }

    private FakeProduct? ByCustomId(JsonNode? custom) =>
        custom?["value"]?.GetValue<string>() is { } value ? _products.Values.FirstOrDefault(product => product.ListingKey == value) : null;

    private static JsonObject UserError(string[] field, string message, string? code) => new()
    {
        ["field"] = new JsonArray([.. field.Select(part => (JsonNode)part)]),
        ["message"] = message,
        ["code"] = code,
    };

    /// <summary>A userError a test injects, with Shopify's path shape.</summary>
    public static JsonObject InjectedError(string dottedPath, string message, string code = "INVALID") => UserError(dottedPath.Split('.'), message, code);

    private static string Sign(string policy) => Convert.ToHexStringLower(HMACSHA256.HashData(UploadSigningKey, Encoding.UTF8.GetBytes(policy)));

    private static bool SameSecret(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static async Task<byte[]> ReadAllAsync(IFormFile file)
    {
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static IResult Json(int status, JsonObject body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    private static IResult OAuthError(string error, string description) =>
        Json(400, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static IResult StorageError(int status, string code, string message) =>
        Results.Text($"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message></Error>", "application/xml", statusCode: status);

    public sealed record Call(string Operation, string Query, JsonObject Variables, string Body, DateTimeOffset At, string Token);

    public sealed record Upload(string TargetId, IReadOnlyList<string> FieldOrder, IReadOnlyDictionary<string, string> Fields, string? FileName, string? FileContentType, byte[] Bytes, bool CarriedShopifyToken);

    private sealed record StagedTarget(string Id, string Key, IReadOnlyList<KeyValuePair<string, string>> Parameters, long MaxBytes)
    {
        public byte[]? Uploaded { get; set; }
    }
}

/// <summary>What the fake shop holds for one product: the fields productSet wrote, lists replaced as a whole.</summary>
public sealed class FakeProduct(string id)
{
    public string Id { get; } = id;

    public string? Title { get; private set; }

    public string? Status { get; private set; }

    public string? Handle { get; private set; }

    public string? ListingKey { get; private set; }

    public int Writes { get; private set; }

    public JsonArray Options { get; private set; } = [];

    public JsonArray Variants { get; private set; } = [];

    public List<FakeMedia> Media { get; } = [];

    internal void Apply(JsonObject input, Func<string, FakeMedia> media)
    {
        Writes++;
        Title = input["title"]?.GetValue<string>() ?? Title;
        Status = input["status"]?.GetValue<string>() ?? Status;
        Handle = input["handle"]?.GetValue<string>() ?? Handle;
        if (input["productOptions"] is JsonArray options)
        {
            Options = (JsonArray)options.DeepClone();
        }

        if (input["variants"] is JsonArray variants)
        {
            Variants = (JsonArray)variants.DeepClone();
        }

        if (input["metafields"] is JsonArray metafields)
        {
            ListingKey = metafields.FirstOrDefault(field => field?["key"]?.GetValue<string>() == "listing_key")?["value"]?.GetValue<string>();
        }

        if (input["files"] is JsonArray files)
        {
            Media.Clear();
            Media.AddRange(files.Select(file => media(file!["originalSource"]!.GetValue<string>())));
        }
    }

    /// <summary>The product as GraphQL answers it; a product read by id (<paramref name="advanceMedia"/>) moves processing media on.</summary>
    internal JsonObject Node(bool advanceMedia) => new()
    {
        ["id"] = Id,
        ["handle"] = Handle,
        ["status"] = Status,
        ["media"] = new JsonObject { ["nodes"] = new JsonArray([.. Media.Select(item => (JsonNode)item.Node(advanceMedia))]) },
    };
}

public sealed class FakeMedia(string id, string source, int pendingPolls, string? failure, byte[]? bytes)
{
    private int _pendingLeft = pendingPolls;

    public string Source { get; } = source;

    public byte[]? Bytes { get; } = bytes;

    internal JsonObject Node(bool advance)
    {
        var done = _pendingLeft <= 0;
        if (advance && !done)
        {
            _pendingLeft--;
        }

        return new JsonObject
        {
            ["id"] = id,
            ["status"] = !done ? "PROCESSING" : failure is null ? "READY" : "FAILED",
            ["mediaErrors"] = done && failure is not null
                ? new JsonArray(new JsonObject { ["code"] = "GENERIC_FILE_DOWNLOAD_FAILURE", ["message"] = failure })
                : new JsonArray(),
        };
    }
}
