using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Marketplaces.Shopee;

/// <summary>One request the fake accepted (partner, timestamp, signature and, for shop APIs, the access token good).</summary>
public sealed record ShopeeCall(string Path, IReadOnlyDictionary<string, string> Query, JsonObject? Body, string? FileField, byte[]? File);

/// <summary>A category of the fake's tree: a zero id or a null original name makes a node the adapter must skip.</summary>
public sealed record FakeShopeeCategory(long Id, long ParentId, string? Original, string? English, string? Chinese, bool HasChildren);

public sealed record FakeShopeeModel(long ModelId, string Sku)
{
    public decimal Price { get; set; }

    public int Stock { get; set; }
}

/// <summary>An item the fake holds: the last add/update body merged, its models, its status.</summary>
public sealed class FakeShopeeItem(long itemId, JsonObject body)
{
    public long ItemId { get; } = itemId;

    public JsonObject Body { get; } = body;

    public List<FakeShopeeModel> Models { get; } = [];

    /// <summary>Price and stock of an item without models (model 0).</summary>
    public decimal Price { get; set; }

    public int Stock { get; set; }

    public string Status { get; set; } = "NORMAL";
}

/// <summary>
/// Shopee Open Platform v2 as external-apis.md §11 documents it: partner_id, a unix timestamp within 5 minutes and the
/// HMAC-SHA256 sign recomputed here over the public or the shop base string; shop APIs also need a live access token
/// of <see cref="ShopId"/>. Tokens come from the auth code (once) or a refresh token (rotated: the old one is spent).
/// Answers use the envelope <c>{request_id, error, message, response}</c>; refusals are HTTP 403 with error_sign /
/// error_auth (UNCONFIRMED status). Items and their models are kept, so a second publish sees the first.
/// </summary>
public sealed class FakeShopeeServer(TimeProvider clock) : KestrelFake
{
    public const long PartnerId = 2001887;
    public const string PartnerKey = "shpk-72a1c0ffee";
    public const long ShopId = 123456789;
    public const string AuthCode = "code-4f1e9a";
    public const string ShopName = "Blue Willow SG";
    public const long LogisticId = 18028;
    public const long LeafCategory = 100636;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(4);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _loseAnswers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _images = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _next = 25_000_000_000;
    private bool _codeUsed;

    public ConcurrentDictionary<long, FakeShopeeItem> Items { get; } = new();

    public ConcurrentQueue<ShopeeCall> Calls { get; } = new();

    /// <summary>
    /// The shop's category tree for get_category (UNCONFIRMED shape): three levels down to <see cref="LeafCategory"/>; a
    /// display name left empty falls back to the original name.
    /// </summary>
    public List<FakeShopeeCategory> Categories { get; } =
    [
        new(100630, 0, "Home & Living", "Home & Living", "居家生活", true),
        new(100633, 100630, "Kitchenware", "Kitchenware", "厨房用品", true),
        new(LeafCategory, 100633, "Drinkware", "Drinkware", "饮具", false),
        new(100637, 100633, "Tableware", "", "", false),
    ];

    /// <summary>Refused requests by error string.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    /// <summary>The fake's clock runs this far from the client's.</summary>
    public TimeSpan ClockSkew { get; set; }

    public static async Task<FakeShopeeServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeShopeeServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    public IEnumerable<ShopeeCall> CallsTo(string path) => Calls.Where(c => c.Path == path);

    /// <summary>A token pair as if the shop had been authorised earlier: what a stored connection holds.</summary>
    public (string Access, string Refresh, DateTimeOffset Expires) IssueTokens()
    {
        var access = $"acc-{Interlocked.Increment(ref _next)}";
        var refresh = $"ref-{Interlocked.Increment(ref _next)}";
        var expires = Now + TokenLifetime;
        _accessTokens[access] = expires;
        _refreshTokens[refresh] = true;
        return (access, refresh, expires);
    }

    /// <summary>Every access token stops working (revoked or expired early on Shopee's side); refresh tokens stay good.</summary>
    public void RevokeAccessTokens() => _accessTokens.Clear();

    public void RevokeRefreshTokens() => _refreshTokens.Clear();

    public void Fail(string path, Fault fault) => _faults.GetOrAdd(path, _ => new ConcurrentQueue<Fault>()).Enqueue(fault);

    /// <summary>The next call of <paramref name="path"/> is carried out, then answered 504 (the answer was lost).</summary>
    public void LoseAnswer(string path) => _loseAnswers.AddOrUpdate(path, 1, (_, n) => n + 1);

    public static Fault Error(int status, string error, string message, params (string Name, string Value)[] headers) =>
        Faults.Status(status, Envelope(error, message, null).ToJsonString(), headers);

    private DateTimeOffset Now => clock.GetUtcNow() + ClockSkew;

    protected override void Map(WebApplication app) =>
        app.Map("/api/v2/{**rest}", async (HttpContext context) =>
        {
            var path = context.Request.Path.Value!;
            var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            if (Check(path, query) is { } refusal)
            {
                return refusal;
            }

            JsonObject? body = null;
            string? fileField = null;
            byte[]? file = null;
            if (context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                if (form.Files.Count > 0)
                {
                    using var buffer = new MemoryStream();
                    await form.Files[0].CopyToAsync(buffer, context.RequestAborted);
                    (fileField, file) = (form.Files[0].Name, buffer.ToArray());
                }

                body = new JsonObject([.. form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value.ToString()))]);
            }
            else if (HttpMethods.IsPost(context.Request.Method))
            {
                body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))?.AsObject();
            }

            Calls.Enqueue(new ShopeeCall(path, query, body, fileField, file));
            if (_faults.TryGetValue(path, out var faults) && faults.TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            JsonObject answer;
            lock (_lock)
            {
                answer = Dispatch(path, query, body ?? [], fileField, file);
            }

            if (_loseAnswers.TryGetValue(path, out var lose) && lose > 0 && _loseAnswers.TryUpdate(path, lose - 1, lose))
            {
                return Results.Text("<html>504 Gateway Time-out</html>", "text/html", statusCode: 504);
            }

            return Results.Text(answer.ToJsonString(), "application/json");
        });

    /// <summary>§11.2/§11.3 checked to the letter, with this fake's own HMAC (not the adapter's code).</summary>
    private IResult? Check(string path, Dictionary<string, string> query)
    {
        string Get(string name) => query.TryGetValue(name, out var value) ? value : "";
        if (Get("partner_id") != PartnerId.ToString(CultureInfo.InvariantCulture))
        {
            return Refuse("error_param", "Invalid partner_id.");
        }

        if (!long.TryParse(Get("timestamp"), CultureInfo.InvariantCulture, out var timestamp) || Math.Abs(Now.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return Refuse("error_param", "Invalid timestamp, it should be within 5 minutes.");
        }

        var isPublic = path.StartsWith("/api/v2/auth/", StringComparison.Ordinal);
        var baseString = isPublic ? $"{PartnerId}{path}{timestamp}" : $"{PartnerId}{path}{timestamp}{Get("access_token")}{Get("shop_id")}";
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PartnerKey), Encoding.UTF8.GetBytes(baseString))));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(Get("sign"))))
        {
            return Refuse("error_sign", "Wrong sign.");
        }

        if (!isPublic && (Get("shop_id") != ShopId.ToString(CultureInfo.InvariantCulture)
            || !_accessTokens.TryGetValue(Get("access_token"), out var expires) || Now >= expires))
        {
            return Refuse("error_auth", "Invalid access_token.");
        }

        return null;
    }

    private IResult Refuse(string error, string message)
    {
        Refused.Enqueue(error);
        return Results.Text(Envelope(error, message, null).ToJsonString(), "application/json", statusCode: 403);
    }

    private JsonObject Dispatch(string path, Dictionary<string, string> query, JsonObject body, string? fileField, byte[]? file)
    {
        FakeShopeeItem? Item() => body["item_id"]?.GetValue<long>() is { } id && Items.TryGetValue(id, out var item) ? item : null;
        switch (path)
        {
            case "/api/v2/auth/token/get":
                if (body["code"]?.GetValue<string>() != AuthCode || _codeUsed || body["shop_id"]?.GetValue<long>() != ShopId || body["partner_id"]?.GetValue<long>() != PartnerId)
                {
                    return Envelope("error_auth", "Invalid code.", null);
                }

                _codeUsed = true;
                return TokenAnswer();

            case "/api/v2/auth/access_token/get":
                if (body["refresh_token"]?.GetValue<string>() is not { } refresh || !_refreshTokens.TryRemove(refresh, out _)
                    || body["shop_id"]?.GetValue<long>() != ShopId || body["partner_id"]?.GetValue<long>() != PartnerId)
                {
                    return Envelope("error_auth", "Invalid refresh_token.", null);
                }

                return TokenAnswer();

            case "/api/v2/shop/get_shop_info":
                var info = Envelope("", "", null);
                info["shop_name"] = ShopName;
                info["region"] = "SG";
                info["status"] = "NORMAL";
                return info;

            case "/api/v2/media_space/upload_image":
                if (fileField != "image" || file is null)
                {
                    return Envelope("error_param", "image is required.", null);
                }

                var imageId = $"sg-11134201-{Interlocked.Increment(ref _next)}";
                _images[imageId] = true;
                return Envelope("", "", new JsonObject
                {
                    ["image_info"] = new JsonObject
                    {
                        ["image_id"] = imageId,
                        ["image_url_list"] = new JsonArray(new JsonObject { ["image_url_region"] = "SG", ["image_url"] = $"https://cf.shopee.sg/file/{imageId}" }),
                    },
                });

            case "/api/v2/product/search_item":
                var sku = query.GetValueOrDefault("item_sku");
                var found = Items.Values.Where(i => i.Body["item_sku"]?.GetValue<string>() == sku).Select(i => (JsonNode)i.ItemId).ToList();
                return Envelope("", "", new JsonObject { ["item_id_list"] = new JsonArray([.. found]), ["total_count"] = found.Count });

            case "/api/v2/product/add_item":
                if (Validate(body, adding: true) is { } invalid)
                {
                    return invalid;
                }

                var added = new FakeShopeeItem(Interlocked.Increment(ref _next), body.DeepClone().AsObject())
                {
                    Price = body["original_price"]!.GetValue<decimal>(),
                    Stock = body["seller_stock"]![0]!["stock"]!.GetValue<int>(),
                };
                Items[added.ItemId] = added;
                return Envelope("", "", new JsonObject { ["item_id"] = added.ItemId, ["item_name"] = body["item_name"]!.GetValue<string>() });

            case "/api/v2/product/update_item":
                if (Item() is not { } updated)
                {
                    return Envelope("error_item_not_found", "Item not found.", null);
                }

                if (Validate(body, adding: false) is { } refused)
                {
                    return refused;
                }

                foreach (var (name, value) in body)
                {
                    updated.Body[name] = value?.DeepClone();
                }

                return Envelope("", "", new JsonObject { ["item_id"] = updated.ItemId });

            case "/api/v2/product/init_tier_variation":
                if (Item() is not { } parent)
                {
                    return Envelope("error_item_not_found", "Item not found.", null);
                }

                if (parent.Models.Count > 0)
                {
                    return Envelope("product.error_busi", "The tier_variation of this item is already initialised.", null);
                }

                foreach (var model in body["model"]!.AsArray())
                {
                    parent.Models.Add(new FakeShopeeModel(Interlocked.Increment(ref _next), model!["model_sku"]!.GetValue<string>())
                    {
                        Price = model["original_price"]!.GetValue<decimal>(),
                        Stock = model["seller_stock"]![0]!["stock"]!.GetValue<int>(),
                    });
                }

                return Envelope("", "", new JsonObject { ["item_id"] = parent.ItemId, ["model"] = Models(parent) });

            case "/api/v2/product/get_category":
                var language = query.GetValueOrDefault("language") ?? "en";
                if (language is not ("en" or "zh-hans"))
                {
                    return Envelope("error_param", $"language {language} is not supported.", null);
                }

                return Envelope("", "", new JsonObject
                {
                    ["category_list"] = new JsonArray([.. Categories.Select(c => (JsonNode)new JsonObject
                    {
                        ["category_id"] = c.Id,
                        ["parent_category_id"] = c.ParentId,
                        ["original_category_name"] = c.Original,
                        ["display_category_name"] = language == "zh-hans" ? c.Chinese : c.English,
                        ["has_children"] = c.HasChildren,
                    })]),
                });

            case "/api/v2/product/get_model_list":
                return Items.TryGetValue(long.Parse(query.GetValueOrDefault("item_id") ?? "0", CultureInfo.InvariantCulture), out var listed)
                    ? Envelope("", "", new JsonObject { ["tier_variation"] = new JsonArray(), ["model"] = Models(listed) })
                    : Envelope("error_item_not_found", "Item not found.", null);

            case "/api/v2/product/update_price" or "/api/v2/product/update_stock":
                if (Item() is not { } offered)
                {
                    return Envelope("error_item_not_found", "Item not found.", null);
                }

                var isPrice = path.EndsWith("price", StringComparison.Ordinal);
                var success = new JsonArray();
                var failure = new JsonArray();
                foreach (var entry in body[isPrice ? "price_list" : "stock_list"]!.AsArray())
                {
                    var modelId = entry!["model_id"]!.GetValue<long>();
                    var model = offered.Models.FirstOrDefault(m => m.ModelId == modelId);
                    if (modelId == 0 ? offered.Models.Count > 0 : model is null)
                    {
                        failure.Add(new JsonObject { ["model_id"] = modelId, ["failed_reason"] = "model_id is invalid." });
                        continue;
                    }

                    if (isPrice)
                    {
                        var price = entry["original_price"]!.GetValue<decimal>();
                        if (model is null)
                        {
                            offered.Price = price;
                        }
                        else
                        {
                            model.Price = price;
                        }
                    }
                    else
                    {
                        var stock = entry["seller_stock"]![0]!["stock"]!.GetValue<int>();
                        if (model is null)
                        {
                            offered.Stock = stock;
                        }
                        else
                        {
                            model.Stock = stock;
                        }
                    }

                    success.Add(new JsonObject { ["model_id"] = modelId });
                }

                return Envelope("", "", new JsonObject { ["item_id"] = offered.ItemId, ["success_list"] = success, ["failure_list"] = failure });

            case "/api/v2/product/unlist_item":
                var done = new JsonArray();
                var failed = new JsonArray();
                foreach (var entry in body["item_list"]!.AsArray())
                {
                    var itemId = entry!["item_id"]!.GetValue<long>();
                    if (Items.TryGetValue(itemId, out var unlisted))
                    {
                        unlisted.Status = entry["unlist"]!.GetValue<bool>() ? "UNLIST" : "NORMAL";
                        done.Add(new JsonObject { ["item_id"] = itemId, ["unlist"] = entry["unlist"]!.GetValue<bool>() });
                    }
                    else
                    {
                        failed.Add(new JsonObject { ["item_id"] = itemId, ["failed_reason"] = "Item not found." });
                    }
                }

                return Envelope("", "", new JsonObject { ["success_list"] = done, ["failure_list"] = failed });

            default:
                return Envelope("error_not_found", $"Unknown API {path}.", null);
        }
    }

    /// <summary>What Shopee checks of an item's content (§11.6): names, a leaf category, known images, an enabled channel.</summary>
    private JsonObject? Validate(JsonObject body, bool adding)
    {
        if (adding)
        {
            foreach (var required in (string[])["item_name", "description", "original_price", "seller_stock", "category_id", "image", "weight", "logistic_info"])
            {
                if (body[required] is null)
                {
                    return Envelope("error_param", $"{required} is required.", null);
                }
            }
        }

        if (body["item_name"]?.GetValue<string>() is { } name && name.Length > 120)
        {
            return Envelope("error_param", "item_name length should be between 20 and 120.", null);
        }

        if (body["category_id"]?.GetValue<long>() is { } category && category != LeafCategory)
        {
            return Envelope("error_param", $"category_id {category} is not a leaf category.", null);
        }

        if (body["image"]?["image_id_list"]?.AsArray().Any(id => !_images.ContainsKey(id!.GetValue<string>())) == true)
        {
            return Envelope("error_param", "image_id_list contains an unknown image_id.", null);
        }

        if (body["logistic_info"]?.AsArray().Any(l => l!["logistic_id"]!.GetValue<long>() == LogisticId && l["enabled"]!.GetValue<bool>()) == false)
        {
            return Envelope("error_param", "logistic_info needs an enabled channel of the shop.", null);
        }

        return null;
    }

    private JsonObject TokenAnswer()
    {
        var (access, refresh, _) = IssueTokens();
        var answer = Envelope("", "", null);
        answer.Remove("response");
        answer["access_token"] = access;
        answer["refresh_token"] = refresh;
        answer["expire_in"] = (long)TokenLifetime.TotalSeconds;
        return answer;
    }

    private static JsonArray Models(FakeShopeeItem item) =>
        new([.. item.Models.Select(m => (JsonNode)new JsonObject
        {
            ["model_id"] = m.ModelId,
            ["model_sku"] = m.Sku,
            ["price_info"] = new JsonArray(new JsonObject { ["original_price"] = m.Price }),
        })]);

    private static JsonObject Envelope(string error, string message, JsonObject? response)
    {
        var envelope = new JsonObject { ["request_id"] = "8e1f0c2a", ["error"] = error, ["message"] = message };
        if (response is not null)
        {
            envelope["response"] = response;
        }

        return envelope;
    }
}
