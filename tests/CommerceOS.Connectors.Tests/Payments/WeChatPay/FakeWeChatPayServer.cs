using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CommerceOS.Connectors.Tests.Payments.WeChatPay;

/// <summary>
/// One WeChat Pay merchant as external-apis.md §13.2 documents API v3: every request must carry an Authorization header
/// of exactly the documented shape whose SHA256withRSA signature over <c>method\npath\ntimestamp\nnonce\nbody\n</c>
/// verifies with the merchant public key the test registered (401 SIGN_ERROR otherwise); every answer is signed with the
/// fake's own platform key over <c>timestamp\nnonce\nbody\n</c>. Native orders are kept by out_trade_no: the same fields
/// again answer the same code_url, different fields OUT_TRADE_NO_USED, a paid order ORDERPAID.
/// </summary>
public sealed partial class FakeWeChatPayServer(TimeProvider clock, RSA merchantPublicKey, RSA platformKey) : KestrelFake
{
    public const string MchId = "1900000109";
    public const string AppId = "wxd678efh567hg6787";
    public const string MerchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    public const string PlatformKeyId = "PUB_KEY_ID_0119000001092025112900000000000001";

    private readonly ConcurrentDictionary<string, FakeOrder> _orders = new(StringComparer.Ordinal);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>Served instead of the next answer, after the request was authenticated.</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    public Fault? AlwaysFault { get; set; }

    /// <summary>Flips a byte of every answer's signature (a man in the middle, or a key that is not the one configured).</summary>
    public bool TamperSignatures { get; set; }

    public int Refused401 => Volatile.Read(ref _refused401);

    private int _refused401;

    public static async Task<FakeWeChatPayServer> StartAsync(TimeProvider clock, RSA merchantPublicKey, RSA platformKey)
    {
        var fake = new FakeWeChatPayServer(clock, merchantPublicKey, platformKey);
        await fake.ListenAsync();
        return fake;
    }

    public FakeOrder? Order(string outTradeNo) => _orders.GetValueOrDefault(outTradeNo);

    /// <summary>Puts an order in a state, as if the payer had acted (SUCCESS, CLOSED, USERPAYING, ...).</summary>
    public FakeOrder SetState(string outTradeNo, string tradeState, long total = 9900)
    {
        var order = _orders.GetOrAdd(outTradeNo, no => new FakeOrder(no, total, "{}", $"weixin://wxpay/bizpayurl?pr={no[..8]}"));
        order.TradeState = tradeState;
        return order;
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var authorization = context.Request.Headers.Authorization.ToString();
            Calls.Enqueue(new Call(context.Request.Method, target, Encoding.UTF8.GetString(body), authorization, context.Request.Headers.Accept.ToString(), context.Request.ContentType));
            if (!Authenticated(context.Request.Method, target, authorization, body))
            {
                Interlocked.Increment(ref _refused401);
                await Answer(context, 401, new JsonObject { ["code"] = "SIGN_ERROR", ["message"] = "签名错误" });
                return;
            }

            if (Faults.TryDequeue(out var fault) || (fault = AlwaysFault) is not null)
            {
                await fault(context);
                return;
            }

            context.Items["body"] = body;
            await next(context);
        });

        app.MapPost("/v3/pay/transactions/native", (HttpContext context) => Answer(context, NativeOrder((byte[])context.Items["body"]!)));
        app.MapGet("/v3/pay/transactions/out-trade-no/{outTradeNo}", (string outTradeNo, HttpContext context) => Answer(context, Query(outTradeNo, context.Request.Query["mchid"].ToString())));
    }

    private bool Authenticated(string method, string target, string authorization, byte[] body)
    {
        var match = AuthorizationPattern().Match(authorization);
        if (!match.Success || match.Groups["mchid"].Value != MchId || match.Groups["serial"].Value != MerchantSerial
            || !long.TryParse(match.Groups["timestamp"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - timestamp) > 300)
        {
            return false;
        }

        var message = Encoding.UTF8.GetBytes($"{method}\n{target}\n{match.Groups["timestamp"].Value}\n{match.Groups["nonce"].Value}\n").Concat(body).Append((byte)'\n').ToArray();
        try
        {
            return merchantPublicKey.VerifyData(message, Convert.FromBase64String(match.Groups["signature"].Value), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private (int Status, JsonObject Body) NativeOrder(byte[] raw)
    {
        JsonObject order;
        try
        {
            order = JsonNode.Parse(raw) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return Error(400, "PARAM_ERROR", "请求体不是 JSON");
        }

        var description = order["description"]?.GetValue<string>() ?? "";
        var outTradeNo = order["out_trade_no"]?.GetValue<string>() ?? "";
        var notifyUrl = order["notify_url"]?.GetValue<string>() ?? "";
        var total = order["amount"]?["total"]?.GetValue<long>() ?? 0;
        if (order["appid"]?.GetValue<string>() != AppId || order["mchid"]?.GetValue<string>() != MchId)
        {
            return Error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        }

        if (description.Length is 0 or > 127 || !OutTradeNoPattern().IsMatch(outTradeNo) || !notifyUrl.StartsWith("https://", StringComparison.Ordinal)
            || notifyUrl.Contains('?', StringComparison.Ordinal) || total <= 0 || order["amount"]?["currency"]?.GetValue<string>() != "CNY"
            || !DateTimeOffset.TryParseExact(order["time_expire"]?.GetValue<string>(), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return Error(400, "PARAM_ERROR", "参数错误");
        }

        var fields = order.ToJsonString();
        var stored = _orders.GetOrAdd(outTradeNo, no => new FakeOrder(no, total, fields, $"weixin://wxpay/bizpayurl?pr={Guid.NewGuid():N}"));
        if (stored.TradeState == "SUCCESS")
        {
            return Error(403, "ORDERPAID", "该订单已支付");
        }

        if (stored.Fields != fields)
        {
            return Error(403, "OUT_TRADE_NO_USED", "商户订单号重复");
        }

        return (200, new JsonObject { ["code_url"] = stored.CodeUrl });
    }

    private (int Status, JsonObject Body) Query(string outTradeNo, string mchid)
    {
        if (mchid != MchId)
        {
            return Error(400, "PARAM_ERROR", "mchid 不匹配");
        }

        if (!_orders.TryGetValue(outTradeNo, out var order))
        {
            return Error(404, "ORDER_NOT_EXIST", "订单不存在");
        }

        var transaction = new JsonObject
        {
            ["appid"] = AppId,
            ["mchid"] = MchId,
            ["out_trade_no"] = outTradeNo,
            ["trade_type"] = "NATIVE",
            ["trade_state"] = order.TradeState,
            ["trade_state_desc"] = "状态",
            ["amount"] = new JsonObject { ["total"] = order.Total, ["currency"] = "CNY" },
        };
        if (order.TradeState == "SUCCESS")
        {
            transaction["transaction_id"] = "4200000000202611290000000001";
            transaction["success_time"] = "2026-11-29T17:00:05+08:00";
            transaction["amount"]!["payer_total"] = order.Total;
        }

        return (200, transaction);
    }

    private static (int, JsonObject) Error(int status, string code, string message) => (status, new JsonObject { ["code"] = code, ["message"] = message });

    private Task Answer(HttpContext context, (int Status, JsonObject Body) answer) => Answer(context, answer.Status, answer.Body);

    private Task Answer(HttpContext context, int status, JsonObject body) => SignedAnswer(context, status, Encoding.UTF8.GetBytes(body.ToJsonString()));

    /// <summary>Writes <paramref name="body"/> with the platform signature headers (also for faults that want to be signed).</summary>
    public async Task SignedAnswer(HttpContext context, int status, byte[] body)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var signature = platformKey.SignData(
            Encoding.UTF8.GetBytes($"{timestamp}\n{nonce}\n").Concat(body).Append((byte)'\n').ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (TamperSignatures)
        {
            signature[10] ^= 0x01;
        }

        context.Response.StatusCode = status;
        context.Response.Headers["Wechatpay-Timestamp"] = timestamp;
        context.Response.Headers["Wechatpay-Nonce"] = nonce;
        context.Response.Headers["Wechatpay-Serial"] = PlatformKeyId;
        context.Response.Headers["Wechatpay-Signature"] = Convert.ToBase64String(signature);
        context.Response.Headers["Request-ID"] = Guid.NewGuid().ToString();
        if (body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(body);
        }
    }

    [GeneratedRegex("""^WECHATPAY2-SHA256-RSA2048 mchid="(?<mchid>[^"]+)",nonce_str="(?<nonce>[A-Za-z0-9]{16,32})",signature="(?<signature>[A-Za-z0-9+/=]+)",timestamp="(?<timestamp>[0-9]+)",serial_no="(?<serial>[^"]+)"$""")]
    private static partial Regex AuthorizationPattern();

    [GeneratedRegex("^[A-Za-z0-9_|*-]{6,32}$")]
    private static partial Regex OutTradeNoPattern();

    public sealed record Call(string Method, string Target, string Body, string Authorization, string Accept, string? ContentType);

    public sealed class FakeOrder(string outTradeNo, long total, string fields, string codeUrl)
    {
        public string OutTradeNo { get; } = outTradeNo;

        public long Total { get; } = total;

        public string Fields { get; } = fields;

        public string CodeUrl { get; } = codeUrl;

        public string TradeState { get; set; } = "NOTPAY";
    }
}
