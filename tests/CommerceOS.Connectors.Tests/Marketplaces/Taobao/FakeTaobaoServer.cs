using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Marketplaces.Taobao;

/// <summary>One request the fake accepted (signature, app key, session and timestamp good).</summary>
public sealed record TopCall(string Method, IReadOnlyDictionary<string, string> Parameters, string? FileField, byte[]? File, bool Multipart);

/// <summary>An item the fake holds: the arguments it was added and updated with, its extra pictures and its status.</summary>
public sealed class FakeTaobaoItem(long numIid)
{
    public long NumIid { get; } = numIid;

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<int, string> ExtraPictures { get; } = [];

    public string ApproveStatus { get; set; } = "onsale";
}

/// <summary>A category the fake's <c>taobao.itemcats.get</c> serves.</summary>
public sealed record FakeCategory(long Cid, long ParentCid, string Name, bool IsParent, string Status = "normal", int SortOrder = 0);

/// <summary>A property the fake's <c>taobao.itemprops.get</c> serves for <see cref="FakeTaobaoServer.LeafCategory"/>.</summary>
public sealed record FakeProperty(long Pid, string Name, bool IsSale, bool IsColor, bool AllowAlias, params (long Vid, string Name)[] Values);

/// <summary>
/// The TOP router as external-apis.md §10 documents it: one POST endpoint, form or multipart, the common parameters
/// checked to the letter (app key, session, a GMT+8 timestamp within 10 minutes, the sign recomputed here for md5,
/// hmac and hmac-sha256 with the file left out), answers <c>{"&lt;method without taobao.&gt;_response": ...}</c> or
/// <c>{"error_response": {code, msg, sub_code, sub_msg}}</c>. Items are kept, so a second publish sees the first.
/// </summary>
public sealed class FakeTaobaoServer(TimeProvider clock) : KestrelFake
{
    public const string AppKey = "12345678";
    public const string AppSecret = "top-secret-5f2a";
    public const string Session = "6100a1b2c3d4e5f6sessionkey";
    public const string Nick = "青花瓷小店";
    public const string LeafCategory = "50012345";

    private static readonly string[] CommonParameters = ["method", "app_key", "session", "timestamp", "format", "v", "sign_method", "sign"];

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Fault>> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _loseAnswers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _pictures = new(StringComparer.Ordinal);
    private long _nextId = 600_000_000_000;

    public ConcurrentDictionary<long, FakeTaobaoItem> Items { get; } = new();

    /// <summary>
    /// Three levels: 居家日用 › 餐饮具 › 茶杯 (the leaf the drafts use), two clothing roots with leaves, and a deleted root
    /// whose child must never be asked for. Listed out of sort order on purpose.
    /// </summary>
    public List<FakeCategory> Categories { get; } =
    [
        new(16, 0, "女装/女士精品", true, SortOrder: 2),
        new(21, 0, "居家日用", true, SortOrder: 1),
        new(50011740, 0, "流行男装", true, SortOrder: 3),
        new(99, 0, "旧类目", true, Status: "deleted", SortOrder: 4),
        new(50016348, 21, "餐饮具", true),
        new(50002, 21, "收纳整理", false, SortOrder: 1),
        new(50000671, 16, "T恤", false),
        new(162104, 16, "衬衫", false, SortOrder: 1),
        new(50000436, 50011740, "T恤", false),
        new(long.Parse(LeafCategory, CultureInfo.InvariantCulture), 50016348, "茶杯", false),
        new(50012346, 50016348, "碗", false, Status: "deleted", SortOrder: 1),
        new(990001, 99, "不可见", false),
    ];

    /// <summary>The leaf category's properties: two sale properties (colour takes aliases, size does not) and a brand that is not one.</summary>
    public List<FakeProperty> Properties { get; } =
    [
        new(20000, "品牌", IsSale: false, IsColor: false, AllowAlias: false, (3275069, "青花")),
        new(1627207, "颜色分类", IsSale: true, IsColor: true, AllowAlias: true, (28320, "白色"), (28341, "黑色"), (28326, "红色"), (28338, "蓝色")),
        new(20509, "尺码", IsSale: true, IsColor: false, AllowAlias: false, (28314, "S"), (28315, "M"), (28316, "L")),
    ];

    public ConcurrentQueue<TopCall> Calls { get; } = new();

    /// <summary>Requests refused by the common-parameter checks, by error code.</summary>
    public ConcurrentQueue<int> Refused { get; } = new();

    public static async Task<FakeTaobaoServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeTaobaoServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    public IEnumerable<TopCall> CallsTo(string method) => Calls.Where(c => c.Method == method);

    /// <summary>The next call of <paramref name="method"/> that passes the checks is answered with <paramref name="fault"/>.</summary>
    public void Fail(string method, Fault fault) => _faults.GetOrAdd(method, _ => new ConcurrentQueue<Fault>()).Enqueue(fault);

    /// <summary>The next call of <paramref name="method"/> is carried out, then answered 504 (the answer was lost).</summary>
    public void LoseAnswer(string method) => _loseAnswers.AddOrUpdate(method, 1, (_, n) => n + 1);

    public static Fault Error(int code, string msg, string? subCode = null, string? subMsg = null) =>
        Faults.Status(200, ErrorBody(code, msg, subCode, subMsg));

    protected override void Map(WebApplication app) =>
        app.MapPost("/router/rest", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var parameters = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            var file = form.Files.Count > 0 ? form.Files[0] : null;
            if (Check(parameters) is { } refusal)
            {
                return refusal;
            }

            byte[]? bytes = null;
            if (file is not null)
            {
                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, context.RequestAborted);
                bytes = buffer.ToArray();
            }

            var method = parameters["method"];
            Calls.Enqueue(new TopCall(method, parameters, file?.Name, bytes, context.Request.HasFormContentType && context.Request.ContentType!.StartsWith("multipart/", StringComparison.Ordinal)));
            if (_faults.TryGetValue(method, out var faults) && faults.TryDequeue(out var fault))
            {
                return Serve(fault);
            }

            var business = parameters.Where(p => !CommonParameters.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            var answer = Dispatch(method, business, file?.Name, bytes);
            if (_loseAnswers.TryGetValue(method, out var lose) && lose > 0 && _loseAnswers.TryUpdate(method, lose - 1, lose))
            {
                return Results.Text("<html>504 Gateway Time-out</html>", "text/html", statusCode: 504);
            }

            return Results.Text(answer.ToJsonString(), "application/json");
        });

    /// <summary>The common parameters of §10.2 and the sign of §10.3, recomputed here.</summary>
    private IResult? Check(Dictionary<string, string> parameters)
    {
        string Get(string name) => parameters.TryGetValue(name, out var value) ? value : "";
        if (Get("app_key") != AppKey)
        {
            return Refuse(29, "Invalid app Key");
        }

        var expected = ExpectedSign(parameters, AppSecret, Get("sign_method"));
        if (expected is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(Get("sign"))))
        {
            return Refuse(25, "Invalid signature");
        }

        if (!DateTimeOffset.TryParseExact(Get("timestamp") + " +08:00", "yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp)
            || (timestamp - clock.GetUtcNow()).Duration() > TimeSpan.FromMinutes(10))
        {
            return Refuse(31, "Invalid timestamp");
        }

        if (Get("session") != Session)
        {
            return Refuse(27, "Invalid session", "invalid-sessionkey", "SessionKey非法");
        }

        if (Get("format") != "json" || Get("v") != "2.0")
        {
            return Refuse(33, "Invalid version");
        }

        return null;
    }

    private IResult Refuse(int code, string msg, string? subCode = null, string? subMsg = null)
    {
        Refused.Enqueue(code);
        return Results.Text(ErrorBody(code, msg, subCode, subMsg), "application/json");
    }

    /// <summary>§10.3 written out on its own (not the adapter's code): sorted name+value pairs, file and empty values out.</summary>
    private static string? ExpectedSign(Dictionary<string, string> parameters, string secret, string method)
    {
        var text = parameters.Where(p => p.Key != "sign" && p.Value.Length > 0).OrderBy(p => p.Key, StringComparer.Ordinal).Aggregate("", (s, p) => s + p.Key + p.Value);
        var key = Encoding.UTF8.GetBytes(secret);
#pragma warning disable CA5351 // TOP's own md5 and hmac (HMAC-MD5) sign methods.
        byte[]? digest = method switch
        {
            "md5" => MD5.HashData(Encoding.UTF8.GetBytes(secret + text + secret)),
            "hmac" => HMACMD5.HashData(key, Encoding.UTF8.GetBytes(text)),
            "hmac-sha256" => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)),
            _ => null,
        };
#pragma warning restore CA5351
        return digest is null ? null : Convert.ToHexString(digest);
    }

    private JsonObject Dispatch(string method, Dictionary<string, string> arguments, string? fileField, byte[]? file)
    {
        string? Get(string name) => arguments.TryGetValue(name, out var value) ? value : null;
        FakeTaobaoItem? Item() => long.TryParse(Get("num_iid"), CultureInfo.InvariantCulture, out var id) && Items.TryGetValue(id, out var item) ? item : null;
        switch (method)
        {
            case "taobao.user.seller.get":
                return Response(method, new JsonObject { ["user"] = new JsonObject { ["nick"] = Nick } });

            case "taobao.itemcats.get":
                if (!long.TryParse(Get("parent_cid"), NumberStyles.None, CultureInfo.InvariantCulture, out var parentCid))
                {
                    return Failure(40, "Missing required arguments:parent_cid");
                }

                var children = Categories.Where(c => c.ParentCid == parentCid).Select(c => Only(Get("fields"), new JsonObject
                {
                    ["cid"] = c.Cid, ["parent_cid"] = c.ParentCid, ["name"] = c.Name, ["is_parent"] = c.IsParent, ["status"] = c.Status, ["sort_order"] = c.SortOrder,
                })).ToList();
                return Response(method, List("item_cats", "item_cat", children));

            case "taobao.itemprops.get":
                if (string.IsNullOrEmpty(Get("cid")))
                {
                    return Failure(40, "Missing required arguments:cid");
                }

                var saleOnly = Get("is_sale_prop") == "true";
                List<JsonObject> properties = Get("cid") != LeafCategory ? [] : Properties.Where(p => !saleOnly || p.IsSale).Select(p => Only(Get("fields"), new JsonObject
                {
                    ["pid"] = p.Pid, ["name"] = p.Name, ["must"] = false, ["multi"] = true, ["is_color_prop"] = p.IsColor, ["is_enum_prop"] = true,
                    ["is_allow_alias"] = p.AllowAlias, ["is_sale_prop"] = p.IsSale,
                    ["prop_values"] = new JsonObject { ["prop_value"] = new JsonArray([.. p.Values.Select(v => new JsonObject { ["vid"] = v.Vid, ["name"] = v.Name })]) },
                })).ToList();
                return Response(method, List("item_props", "item_prop", properties));

            case "taobao.picture.upload":
                if (fileField != "img" || file is null)
                {
                    return Failure(40, "Missing required arguments:img");
                }

                var pictureId = Interlocked.Increment(ref _nextId);
                var path = $"https://img.alicdn.com/imgextra/i1/{AppKey}/O1CN01{pictureId}.png";
                _pictures[path] = file;
                return Response(method, new JsonObject { ["picture"] = new JsonObject { ["picture_id"] = pictureId, ["picture_path"] = path, ["title"] = Get("title") } });

            case "taobao.items.custom.get":
                var matches = Items.Values.Where(i => i.Fields.GetValueOrDefault("outer_id") == Get("outer_id")).ToList();
                return Response(method, matches.Count == 0
                    ? []
                    : new JsonObject
                    {
                        ["items"] = new JsonObject
                        {
                            ["item"] = new JsonArray([.. matches.Select(i => (JsonNode)new JsonObject { ["num_iid"] = i.NumIid, ["outer_id"] = i.Fields["outer_id"], ["approve_status"] = i.ApproveStatus })]),
                        },
                    });

            case "taobao.item.add":
                foreach (var required in (string[])["num", "type", "stuff_status", "title", "desc", "location.state", "location.city", "cid", "price"])
                {
                    if (string.IsNullOrEmpty(Get(required)))
                    {
                        return Failure(40, $"Missing required arguments:{required}");
                    }
                }

                if (Validate(arguments) is { } invalid)
                {
                    return invalid;
                }

                var added = new FakeTaobaoItem(Interlocked.Increment(ref _nextId));
                Merge(added, arguments);
                Items[added.NumIid] = added;
                return Response(method, new JsonObject { ["item"] = new JsonObject { ["num_iid"] = added.NumIid, ["created"] = ChinaTime() } });

            case "taobao.item.update":
                if (Item() is not { } updated)
                {
                    return Failure(15, "Remote service error", "isv.item-not-exist:invalid-numIid", "商品不存在");
                }

                if (Validate(arguments) is { } refused)
                {
                    return refused;
                }

                Merge(updated, arguments);
                return Response(method, new JsonObject { ["item"] = new JsonObject { ["num_iid"] = updated.NumIid, ["modified"] = ChinaTime() } });

            case "taobao.item.img.upload":
                if (Item() is not { } target)
                {
                    return Failure(15, "Remote service error", "isv.item-not-exist:invalid-numIid", "商品不存在");
                }

                if (Get("url") is not { } url || !_pictures.ContainsKey(url))
                {
                    return Failure(15, "Remote service error", "isv.invalid-parameter:url", "图片不在图片空间中");
                }

                var position = int.Parse(Get("position") ?? "0", CultureInfo.InvariantCulture);
                target.ExtraPictures[position] = url;
                return Response(method, new JsonObject { ["item_img"] = new JsonObject { ["id"] = position, ["url"] = url, ["position"] = position } });

            case "taobao.item.update.delisting":
                if (Item() is not { } delisted)
                {
                    return Failure(15, "Remote service error", "isv.item-is-delete:invalid-numIid-or-iid", "商品已删除");
                }

                delisted.ApproveStatus = "instock";
                return Response(method, new JsonObject { ["item"] = new JsonObject { ["num_iid"] = delisted.NumIid, ["modified"] = ChinaTime() } });

            default:
                return Failure(22, "Invalid method");
        }
    }

    /// <summary>Only the fields the call asked for, as TOP answers.</summary>
    private static JsonObject Only(string? fields, JsonObject all)
    {
        var wanted = (fields ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var name in all.Select(p => p.Key).Where(k => !wanted.Contains(k)).ToList())
        {
            all.Remove(name);
        }

        return all;
    }

    /// <summary>TOP's list shape <c>{"item_cats": {"item_cat": [...]}}</c>, left out when empty.</summary>
    private static JsonObject List(string wrapper, string element, List<JsonObject> entries) =>
        entries.Count == 0 ? [] : new JsonObject { [wrapper] = new JsonObject { [element] = new JsonArray([.. entries]) } };

    /// <summary>What Taobao checks of an item's content (title ≤ 60 bytes, a known leaf category, pictures from the picture space).</summary>
    private JsonObject? Validate(Dictionary<string, string> arguments)
    {
        if (arguments.TryGetValue("title", out var title) && Encoding.UTF8.GetByteCount(title) > 60)
        {
            return Failure(15, "Remote service error", "isv.invalid-parameter:title", "标题不能超过60个字节");
        }

        if (arguments.TryGetValue("cid", out var cid) && cid != LeafCategory)
        {
            return Failure(15, "Remote service error", "isv.item-add-service-error:ERROR_CATEGORY_NOT_LEAF", "类目不存在或不是叶子类目");
        }

        if (arguments.TryGetValue("pic_path", out var picture) && !_pictures.ContainsKey(picture))
        {
            return Failure(41, "Invalid arguments:pic_path");
        }

        return null;
    }

    private static void Merge(FakeTaobaoItem item, Dictionary<string, string> arguments)
    {
        foreach (var (name, value) in arguments.Where(a => a.Key != "num_iid"))
        {
            item.Fields[name] = value;
        }

        if (arguments.TryGetValue("approve_status", out var status))
        {
            item.ApproveStatus = status;
        }
    }

    private string ChinaTime() => clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>§10.5's example: taobao.picture.upload answers picture_upload_response.</summary>
    private static JsonObject Response(string method, JsonObject body) => new() { [$"{method.Replace("taobao.", "", StringComparison.Ordinal).Replace('.', '_')}_response"] = body };

    private static JsonObject Failure(int code, string msg, string? subCode = null, string? subMsg = null) =>
        JsonNode.Parse(ErrorBody(code, msg, subCode, subMsg))!.AsObject();

    private static string ErrorBody(int code, string msg, string? subCode, string? subMsg)
    {
        var error = new JsonObject { ["code"] = code, ["msg"] = msg, ["request_id"] = "r1x2y3" };
        if (subCode is not null)
        {
            error["sub_code"] = subCode;
            error["sub_msg"] = subMsg;
        }

        return new JsonObject { ["error_response"] = error }.ToJsonString();
    }
}
