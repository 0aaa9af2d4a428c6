using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Marketplaces.TikTokShop;

/// <summary>One request the fake accepted (signature, timestamp and token all good), as it arrived.</summary>
public sealed record TikTokRequest(string Route, string Method, string Path, IReadOnlyDictionary<string, string> Query, string Body, string? ContentType);

/// <summary>
/// TikTok Shop's Partner API as external-apis.md section 9 documents it. Token get/refresh check the app key and secret
/// and spend auth codes and refresh tokens (a refresh rotates the refresh token). Every Shop API call must carry
/// <c>app_key</c>, a <c>timestamp</c> within 5 minutes of the server clock, a <c>sign</c> the fake recomputes by section 9.4
/// from what it received (compared in fixed time), a live <c>x-tts-access-token</c>, and on product calls the shop's
/// <c>shop_cipher</c>. Answers use the envelope <c>{code, message, request_id, data}</c>. Error codes are UNCONFIRMED and
/// chosen to match the adapter: 106001 bad signature, 106002 stale timestamp, 105001/105002 bad/expired token.
/// Products are kept, go PENDING for <see cref="AuditPolls"/> reads after each write, then ACTIVATE or FAILED.
/// </summary>
public sealed class FakeTikTokShopServer(TimeProvider clock) : KestrelFake
{
    public const string AppKey = "29a39d7cf1b0";
    public const string AppSecret = "e59af819cc9a4c3f8b2d";
    public const string AuthCode = "ROW_b2Z1bmQtYXV0aC1jb2Rl";
    public const string InitialRefreshToken = "ROW_cmVmcmVzaC0w";
    public const string WarehouseId = "7068517275539719942";
    public const string ShopCipher = "GCP_XF90igAAAABh00qsWgtvOiGFNqyubMt3";
    public const string ShopName = "Maple Mug Co";
    public const string LeafCategory = "600001";
    public const long ProductNotFound = 12052048;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new(StringComparer.Ordinal) { [InitialRefreshToken] = true };
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _authCodeSpent;
    private long _nextId = 1729_5000_0000_0000_000;

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The server's clock runs this far ahead of the client's.</summary>
    public TimeSpan ClockSkew { get; set; }

    /// <summary>Reads that still answer PENDING after a create or an update.</summary>
    public int AuditPolls { get; set; } = 1;

    /// <summary>The audit ends FAILED with these reasons instead of ACTIVATE.</summary>
    public JsonArray? AuditFailedReasons { get; set; }

    /// <summary>Attribute id → TikTok's refusal of its value.</summary>
    public ConcurrentDictionary<string, string> RefusedAttributes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, FakeTikTokProduct> Products { get; } = new(StringComparer.Ordinal);

    /// <summary>uri → the uploaded bytes and use case.</summary>
    public ConcurrentDictionary<string, (byte[] Bytes, string UseCase, string FileName)> Images { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<TikTokRequest> Requests { get; } = new();

    /// <summary>Every refusal of the auth checks: route and code.</summary>
    public ConcurrentQueue<(string Route, long Code)> Refusals { get; } = new();

    /// <summary>
    /// The shop's category tree for Get Categories: id, parent ("0" = root), English and Chinese names, leaf, permission
    /// statuses. Three levels by default, with the publisher's <see cref="LeafCategory"/> usable and two leaves withheld.
    /// </summary>
    public List<FakeTikTokCategory> Categories { get; } =
    [
        new("601152", "0", "Home Supplies", "家居用品", false, ["AVAILABLE"]),
        new("601153", "601152", "Drinkware", "饮具", false, ["AVAILABLE"]),
        new(LeafCategory, "601153", "Mugs", "马克杯", true, ["AVAILABLE"]),
        new("600002", "601153", "Tea Cups", "茶杯", true, ["INVITE_ONLY"]),
        new("824328", "0", "Phones & Electronics", "手机与数码", false, ["AVAILABLE"]),
        new("824584", "824328", "Phone Cases", "手机壳", true, ["AVAILABLE", "NON_MAIN_CATEGORY"]),
    ];

    /// <summary>Served after the product is stored: the create happened, its answer is lost.</summary>
    public Fault? AfterCreate { get; set; }

    public static async Task<FakeTikTokShopServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeTikTokShopServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    /// <summary>Answers the next call of <paramref name="route"/> with each of <paramref name="faults"/> in turn (after the auth checks).</summary>
    public void Fail(string route, params Fault[] faults)
    {
        var queue = _faults.GetOrAdd(route, _ => new ConcurrentQueue<Fault>());
        foreach (var fault in faults)
        {
            queue.Enqueue(fault);
        }
    }

    public IEnumerable<TikTokRequest> Calls(string route) => Requests.Where(request => request.Route == route);

    /// <summary>Invalidates every access token issued so far (as a seller's re-authorization elsewhere would).</summary>
    public void RevokeAccessTokens() => _accessTokens.Clear();

    /// <summary>The seller deleted the product in Seller Center.</summary>
    public void Delete(string productId) => Products[productId].Status = "DELETED";

    private DateTimeOffset Now => clock.GetUtcNow() + ClockSkew;

    protected override void Map(WebApplication app)
    {
        app.MapGet("/api/v2/token/get", context => Token(context, refresh: false));
        app.MapGet("/api/v2/token/refresh", context => Token(context, refresh: true));
        app.MapGet("/authorization/202309/shops", Shop("shops", shopScoped: false, _ => Task.FromResult(Envelope(200, 0, "Success", new JsonObject
        {
            ["shops"] = new JsonArray(new JsonObject { ["id"] = "7494105515082810525", ["name"] = ShopName, ["region"] = "US", ["seller_type"] = "LOCAL", ["cipher"] = ShopCipher, ["code"] = "USLCTXQHN6" }),
        }))));
        app.MapPost("/product/202309/images/upload", Shop("upload", shopScoped: false, Upload));
        app.MapPost("/product/202309/products", Shop("create", shopScoped: true, Create));
        app.MapPut("/product/202309/products/{id}", Shop("update", shopScoped: true, Update));
        app.MapPost("/product/202309/products/search", Shop("search", shopScoped: true, Search));
        app.MapGet("/product/202309/products/{id}", Shop("get", shopScoped: true, Get));
        app.MapPost("/product/202309/products/{id}/prices/update", Shop("prices", shopScoped: true, call => UpdateSkus(call, "price")));
        app.MapPost("/product/202309/products/{id}/inventory/update", Shop("inventory", shopScoped: true, call => UpdateSkus(call, "inventory")));
        app.MapPost("/product/202309/products/deactivate", Shop("deactivate", shopScoped: true, Deactivate));
        app.MapGet("/product/202309/categories", Shop("categories", shopScoped: true, CategoryList));
    }

    private sealed record Call(HttpContext Context, string Body);

    private RequestDelegate Shop(string route, bool shopScoped, Func<Call, Task<IResult>> handle) => async context =>
    {
        var multipart = context.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        var body = multipart ? "" : await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var result = Authenticate(context, multipart ? null : body, shopScoped, out var code);
        if (result is not null)
        {
            Refusals.Enqueue((route, code));
            await result.ExecuteAsync(context);
            return;
        }

        var query = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        Requests.Enqueue(new TikTokRequest(route, context.Request.Method, context.Request.Path.Value ?? "", query, body, context.Request.ContentType));
        if (_faults.TryGetValue(route, out var faults) && faults.TryDequeue(out var fault))
        {
            await fault(context);
            return;
        }

        await (await handle(new Call(context, body))).ExecuteAsync(context);
    };

    /// <summary>Section 9.3/9.4 checked to the letter; null when the request may pass.</summary>
    private IResult? Authenticate(HttpContext context, string? body, bool shopScoped, out long code)
    {
        var query = context.Request.Query;
        code = 0;
        if (query["app_key"] != AppKey)
        {
            return Refuse(401, code = 106001, "Invalid app_key.");
        }

        if (!long.TryParse(query["timestamp"], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(Now.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return Refuse(401, code = 106002, "Timestamp is invalid or expired.");
        }

        var expected = Encoding.ASCII.GetBytes(Sign(context.Request.Path.Value ?? "", query, body));
        var received = Encoding.ASCII.GetBytes(query["sign"].ToString());
        if (!CryptographicOperations.FixedTimeEquals(expected, received))
        {
            return Refuse(401, code = 106001, "Invalid signature.");
        }

        var token = context.Request.Headers["x-tts-access-token"].ToString();
        if (!_accessTokens.TryGetValue(token, out var expires))
        {
            return Refuse(401, code = 105001, "Invalid access token.");
        }

        if (Now >= expires)
        {
            return Refuse(401, code = 105002, "Expired access token.");
        }

        if (shopScoped && query["shop_cipher"] != ShopCipher)
        {
            return Refuse(400, code = 106011, "Invalid shop_cipher.");
        }

        return null;
    }

    /// <summary>Section 9.4, written independently of the adapter's signer.</summary>
    private static string Sign(string path, IQueryCollection query, string? body)
    {
        var keys = query.Keys.Where(key => key != "sign" && key != "access_token" && query[key].ToString().Length > 0).Order(StringComparer.Ordinal);
        var text = AppSecret + path + string.Concat(keys.Select(key => key + query[key])) + body + AppSecret;
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AppSecret), Encoding.UTF8.GetBytes(text)));
    }

    private Task Token(HttpContext context, bool refresh)
    {
        var query = context.Request.Query;
        var route = refresh ? "refresh" : "token";
        var (code, message) =
            query["app_key"] != AppKey || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(query["app_secret"].ToString()), Encoding.UTF8.GetBytes(AppSecret))
                ? (36004004, "The app_key or app_secret is invalid.")
            : !refresh && (query["grant_type"] != "authorized_code" || query["auth_code"] != AuthCode || Interlocked.Exchange(ref _authCodeSpent, 1) == 1)
                ? (36004005, "The auth_code is invalid or has been used.")
            : refresh && (query["grant_type"] != "refresh_token" || !_refreshTokens.TryRemove(query["refresh_token"].ToString(), out _))
                ? (36004006, "The refresh_token is invalid or expired.")
            : (0, "success");
        if (code != 0)
        {
            Refusals.Enqueue((route, code));
            return Refuse(200, code, message).ExecuteAsync(context);
        }

        Requests.Enqueue(new TikTokRequest(route, "GET", context.Request.Path.Value ?? "", query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal), "", null));
        var access = $"TTP_{Guid.NewGuid():N}";
        var rotated = $"ROW_{Guid.NewGuid():N}";
        var expires = Now + AccessTokenLifetime;
        _accessTokens[access] = expires;
        _refreshTokens[rotated] = true;
        return Envelope(200, 0, message, new JsonObject
        {
            ["access_token"] = access,
            ["access_token_expire_in"] = expires.ToUnixTimeSeconds(),
            ["refresh_token"] = rotated,
            ["refresh_token_expire_in"] = (Now + TimeSpan.FromDays(365)).ToUnixTimeSeconds(),
            ["open_id"] = "7010736057180325637",
            ["seller_name"] = ShopName,
            ["seller_base_region"] = "US",
            ["user_type"] = 0,
            ["granted_scopes"] = new JsonArray("seller.product.basic", "seller.authorization.info"),
        }).ExecuteAsync(context);
    }

    private async Task<IResult> Upload(Call call)
    {
        var form = await call.Context.Request.ReadFormAsync(call.Context.RequestAborted);
        var file = form.Files.GetFile("data");
        var useCase = form["use_case"].ToString();
        if (file is null || useCase is not ("MAIN_IMAGE" or "ATTRIBUTE_IMAGE" or "DESCRIPTION_IMAGE" or "CERTIFICATION_IMAGE" or "SIZE_CHART_IMAGE"))
        {
            return Envelope(400, 12052700, "data (file) and use_case are required.", null);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, call.Context.RequestAborted);
        var bytes = buffer.ToArray();
        var uri = $"tos-maliva-i-o3syd03w52-us/{Convert.ToHexStringLower(SHA256.HashData(bytes))[..24]}{Images.Count}";
        Images[uri] = (bytes, useCase, file.FileName);
        return Envelope(200, 0, "Success", new JsonObject { ["uri"] = uri, ["url"] = $"{BaseUrl}/img/{uri}", ["width"] = 100, ["height"] = 100, ["use_case"] = useCase });
    }

    private Task<IResult> Create(Call call)
    {
        var body = JsonNode.Parse(call.Body)!.AsObject();
        if (Validate(body) is { } refused)
        {
            return Task.FromResult(refused);
        }

        FakeTikTokProduct product;
        lock (_lock)
        {
            product = new FakeTikTokProduct($"{++_nextId}");
            Write(product, body);
            Products[product.Id] = product;
        }

        if (AfterCreate is { } lost)
        {
            AfterCreate = null;
            return Task.FromResult(Serve(lost));
        }

        return Task.FromResult(Envelope(200, 0, "Success", new JsonObject
        {
            ["product_id"] = product.Id,
            ["skus"] = new JsonArray([.. product.Skus.Select(sku => (JsonNode)new JsonObject { ["id"] = sku.Id, ["seller_sku"] = sku.SellerSku })]),
            ["warnings"] = new JsonArray(),
        }));
    }

    private Task<IResult> Update(Call call)
    {
        var id = call.Context.Request.RouteValues["id"]!.ToString()!;
        if (!Products.TryGetValue(id, out var product) || product.Status == "DELETED")
        {
            return Task.FromResult(Envelope(200, ProductNotFound, "The product does not exist.", null));
        }

        var body = JsonNode.Parse(call.Body)!.AsObject();
        if (Validate(body) is { } refused)
        {
            return Task.FromResult(refused);
        }

        lock (_lock)
        {
            Write(product, body);
            product.Updates++;
        }

        return Task.FromResult(Envelope(200, 0, "Success", new JsonObject { ["product_id"] = id, ["skus"] = new JsonArray(), ["warnings"] = new JsonArray() }));
    }

    private Task<IResult> Search(Call call)
    {
        if (!int.TryParse(call.Context.Request.Query["page_size"], CultureInfo.InvariantCulture, out var size) || size is < 1 or > 100)
        {
            return Task.FromResult(Envelope(400, 12052900, "page_size must be between 1 and 100.", null));
        }

        var wanted = (JsonNode.Parse(call.Body)?["seller_skus"]?.AsArray() ?? []).Select(sku => sku!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var found = Products.Values.Where(product => product.Skus.Any(sku => wanted.Contains(sku.SellerSku))).Take(size).ToList();
        return Task.FromResult(Envelope(200, 0, "Success", new JsonObject
        {
            ["total_count"] = found.Count,
            ["products"] = new JsonArray([.. found.Select(product => (JsonNode)new JsonObject
            {
                ["id"] = product.Id,
                ["title"] = product.Body["title"]?.DeepClone(),
                ["status"] = product.Status,
                ["skus"] = new JsonArray([.. product.Skus.Select(sku => (JsonNode)new JsonObject { ["id"] = sku.Id, ["seller_sku"] = sku.SellerSku })]),
            })]),
        }));
    }

    private Task<IResult> Get(Call call)
    {
        var id = call.Context.Request.RouteValues["id"]!.ToString()!;
        if (!Products.TryGetValue(id, out var product))
        {
            return Task.FromResult(Envelope(200, ProductNotFound, "The product does not exist.", null));
        }

        lock (_lock)
        {
            if (product.Status == "PENDING")
            {
                if (product.PendingLeft > 0)
                {
                    product.PendingLeft--;
                }
                else
                {
                    product.Status = AuditFailedReasons is null ? "ACTIVATE" : "FAILED";
                }
            }

            var data = new JsonObject
            {
                ["id"] = product.Id,
                ["status"] = product.Status,
                ["title"] = product.Body["title"]?.DeepClone(),
                ["external_product_id"] = product.Body["external_product_id"]?.DeepClone(),
                ["skus"] = new JsonArray([.. product.Skus.Select(sku => (JsonNode)new JsonObject
                {
                    ["id"] = sku.Id,
                    ["seller_sku"] = sku.SellerSku,
                    ["price"] = new JsonObject { ["tax_exclusive_price"] = sku.Amount, ["sale_price"] = sku.Amount, ["currency"] = sku.Currency },
                    ["inventory"] = new JsonArray(new JsonObject { ["warehouse_id"] = WarehouseId, ["quantity"] = sku.Quantity }),
                })]),
            };
            if (product.Status == "FAILED")
            {
                data["audit_failed_reasons"] = AuditFailedReasons!.DeepClone();
            }

            return Task.FromResult(Envelope(200, 0, "Success", data));
        }
    }

    private Task<IResult> UpdateSkus(Call call, string what)
    {
        var id = call.Context.Request.RouteValues["id"]!.ToString()!;
        if (!Products.TryGetValue(id, out var product) || product.Status == "DELETED")
        {
            return Task.FromResult(Envelope(200, ProductNotFound, "The product does not exist.", null));
        }

        lock (_lock)
        {
            foreach (var item in JsonNode.Parse(call.Body)?["skus"]?.AsArray() ?? [])
            {
                var sku = product.Skus.FirstOrDefault(sku => sku.Id == item!["id"]?.GetValue<string>());
                if (sku is null)
                {
                    return Task.FromResult(Envelope(400, 12052400, $"sku id {item!["id"]} does not belong to the product.", null));
                }

                if (what == "price")
                {
                    sku.Amount = item!["price"]!["amount"]!.GetValue<string>();
                    sku.Currency = item["price"]!["currency"]!.GetValue<string>();
                }
                else
                {
                    var inventory = item!["inventory"]![0]!;
                    if (inventory["warehouse_id"]?.GetValue<string>() != WarehouseId)
                    {
                        return Task.FromResult(Envelope(400, 12052300, "inventory warehouse_id is invalid.", null));
                    }

                    sku.Quantity = inventory["quantity"]!.GetValue<int>();
                }
            }
        }

        return Task.FromResult(Envelope(200, 0, "Success", new JsonObject()));
    }

    private Task<IResult> Deactivate(Call call)
    {
        var errors = new JsonArray();
        foreach (var node in JsonNode.Parse(call.Body)?["product_ids"]?.AsArray() ?? [])
        {
            var id = node!.GetValue<string>();
            if (!Products.TryGetValue(id, out var product) || product.Status == "DELETED")
            {
                errors.Add(new JsonObject { ["code"] = ProductNotFound, ["message"] = "The product does not exist.", ["detail"] = new JsonObject { ["product_id"] = id } });
                continue;
            }

            product.Status = "SELLER_DEACTIVATED";
        }

        return Task.FromResult(Envelope(200, 0, "Success", errors.Count > 0 ? new JsonObject { ["errors"] = errors } : new JsonObject()));
    }

    /// <summary>UNCONFIRMED shape (Get Categories 202309): <c>data.categories[]</c>, named in <c>locale</c> (en-US when absent).</summary>
    private Task<IResult> CategoryList(Call call)
    {
        var locale = call.Context.Request.Query["locale"].ToString();
        if (locale is not ("" or "en-US" or "zh-CN"))
        {
            return Task.FromResult(Envelope(400, 12052901, $"locale {locale} is not supported.", null));
        }

        return Task.FromResult(Envelope(200, 0, "Success", new JsonObject
        {
            ["categories"] = new JsonArray([.. Categories.Select(category => (JsonNode)new JsonObject
            {
                ["id"] = category.Id,
                ["parent_id"] = category.ParentId,
                ["local_name"] = locale == "zh-CN" ? category.Chinese : category.English,
                ["is_leaf"] = category.IsLeaf,
                ["permission_statuses"] = new JsonArray([.. category.Permissions.Select(status => (JsonNode)status)]),
            })]),
        }));
    }

    /// <summary>The create/edit rules the tests exercise, with TikTok-style messages naming the field.</summary>
    private IResult? Validate(JsonObject body)
    {
        var title = body["title"]?.GetValue<string>() ?? "";
        if (title.Length is < 1 or > 255)
        {
            return Envelope(400, 12052002, "The title length must be between 1 and 255 characters.", null);
        }

        if (body["category_id"]?.GetValue<string>() != LeafCategory)
        {
            return Envelope(400, 12052006, $"category_id {body["category_id"]} is not a leaf category.", null);
        }

        foreach (var image in body["main_images"]?.AsArray() ?? [])
        {
            if (!Images.ContainsKey(image!["uri"]?.GetValue<string>() ?? ""))
            {
                return Envelope(400, 12052050, $"main_images uri {image["uri"]} was not uploaded.", null);
            }
        }

        foreach (var attribute in body["product_attributes"]?.AsArray() ?? [])
        {
            var id = attribute!["id"]!.GetValue<string>();
            if (RefusedAttributes.TryGetValue(id, out var reason))
            {
                return Envelope(400, 12052230, $"product_attributes: attribute {id} value is invalid: {reason}", null);
            }
        }

        foreach (var sku in body["skus"]?.AsArray() ?? [])
        {
            if (!decimal.TryParse(sku!["price"]?["amount"]?.GetValue<string>(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount is < 0.01m or > 7600m)
            {
                return Envelope(400, 12052110, "The price amount must be between 0.01 and 7600 USD.", null);
            }

            if (sku["inventory"]?[0]?["warehouse_id"]?.GetValue<string>() != WarehouseId)
            {
                return Envelope(400, 12052300, "inventory warehouse_id is invalid.", null);
            }
        }

        return null;
    }

    private void Write(FakeTikTokProduct product, JsonObject body)
    {
        product.Body = body;
        product.Status = "PENDING";
        product.PendingLeft = AuditPolls;
        foreach (var sku in body["skus"]!.AsArray())
        {
            var sellerSku = sku!["seller_sku"]!.GetValue<string>();
            var existing = product.Skus.FirstOrDefault(s => s.SellerSku == sellerSku);
            if (existing is null)
            {
                existing = new FakeTikTokSku($"{++_nextId}", sellerSku);
                product.Skus.Add(existing);
            }

            existing.Amount = sku["price"]!["amount"]!.GetValue<string>();
            existing.Currency = sku["price"]!["currency"]!.GetValue<string>();
            existing.Quantity = sku["inventory"]![0]!["quantity"]!.GetValue<int>();
        }
    }

    private static IResult Refuse(int status, long code, string message) => Envelope(status, code, message, null);

    public static IResult Envelope(int status, long code, string message, JsonNode? data) =>
        Results.Content(
            new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = Guid.NewGuid().ToString("N"), ["data"] = data }.ToJsonString(),
            "application/json",
            statusCode: status);

    /// <summary>A TikTok error answer as a fault.</summary>
    public static Fault Error(int status, long code, string message, params (string Name, string Value)[] headers) =>
        Faults.Status(status, new JsonObject { ["code"] = code, ["message"] = message, ["request_id"] = "req-1" }.ToJsonString(), headers);
}

public sealed class FakeTikTokProduct(string id)
{
    public string Id { get; } = id;

    public JsonObject Body { get; set; } = [];

    public string Status { get; set; } = "PENDING";

    public int PendingLeft { get; set; }

    public int Updates { get; set; }

    public List<FakeTikTokSku> Skus { get; } = [];
}

public sealed class FakeTikTokSku(string id, string sellerSku)
{
    public string Id { get; } = id;

    public string SellerSku { get; } = sellerSku;

    public string Amount { get; set; } = "";

    public string Currency { get; set; } = "";

    public int Quantity { get; set; }
}

/// <summary>A category of the fake's tree; a null id or name is sent as JSON null (a node the adapter must skip).</summary>
public sealed record FakeTikTokCategory(string? Id, string ParentId, string? English, string? Chinese, bool IsLeaf, string[] Permissions);
