using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Payments.Alipay;

/// <summary>
/// Alipay's open-API gateway as external-apis.md §13.1 documents it, at <c>/gateway.do</c>, holding its own RSA key
/// pair. Every request must verify with the app's public key over all non-empty parameters but <c>sign</c> (sign_type
/// included), sorted, raw values; otherwise an unsigned <c>error_response</c> 40002 <c>isv.invalid-signature</c>.
/// GET is the page.pay cashier; POST <c>alipay.trade.query</c> answers from <see cref="Trades"/> (40004
/// ACQ.TRADE_NOT_EXIST for an unknown number) with <c>sign</c> over the exact text of the response object.
/// It also signs notifications as Alipay would (<see cref="Notify"/>).
/// </summary>
public sealed class FakeAlipayServer(string appPublicKeyPem) : KestrelFake
{
    public const string AppId = "2021004100000001";
    public const string SellerId = "2088102100000001";

    private readonly RSA _alipayKey = RSA.Create(2048);

    public string AlipayPublicKeyPem => _alipayKey.ExportSubjectPublicKeyInfoPem();

    /// <summary>out_trade_no → the trade Alipay holds.</summary>
    public ConcurrentDictionary<string, FakeTrade> Trades { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Queries { get; } = new();

    public ConcurrentQueue<IReadOnlyDictionary<string, string>> CashierVisits { get; } = new();

    public ConcurrentQueue<Fault> QueryFaults { get; } = new();

    public Fault? AlwaysOnQuery { get; set; }

    /// <summary>The next answer's code and sub_code instead of the trade (20000, 40004 ACQ.SYSTEM_ERROR, …).</summary>
    public ConcurrentQueue<(string Code, string Msg, string? SubCode)> ForcedAnswers { get; } = new();

    /// <summary>Flips one character of the response's sign (a man in the middle, a corrupted answer).</summary>
    public bool TamperResponseSign { get; set; }

    public static async Task<FakeAlipayServer> StartAsync(string appPublicKeyPem)
    {
        var fake = new FakeAlipayServer(appPublicKeyPem);
        await fake.ListenAsync();
        return fake;
    }

    /// <summary>What Alipay does with a signed request: true when it verifies with the app's public key.</summary>
    public bool CheckRequest(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue("sign", out var sign) || fields.GetValueOrDefault("sign_type") != "RSA2")
        {
            return false;
        }

        using var app = RSA.Create();
        app.ImportFromPem(appPublicKeyPem);
        try
        {
            return app.VerifyData(Encoding.UTF8.GetBytes(Canonical(fields, includeSignType: true)), Convert.FromBase64String(sign), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A notification body as Alipay posts it: signed (by <paramref name="signer"/>, default Alipay's key) over
    /// everything but sign and sign_type, then form-encoded with <c>+</c> for spaces.</summary>
    public byte[] Notify(IReadOnlyList<KeyValuePair<string, string>> fields, RSA? signer = null)
    {
        var sign = Convert.ToBase64String((signer ?? _alipayKey).SignData(
            Encoding.UTF8.GetBytes(Canonical(fields, includeSignType: false)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        return Encoding.UTF8.GetBytes(Encode([.. fields, new("sign_type", "RSA2"), new("sign", sign)]));
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value).Replace("%20", "+", StringComparison.Ordinal)}"));

    public static string Canonical(IEnumerable<KeyValuePair<string, string>> fields, bool includeSignType) =>
        string.Join('&', fields
            .Where(field => field.Key != "sign" && (includeSignType || field.Key != "sign_type") && field.Value.Length > 0)
            .OrderBy(field => field.Key, StringComparer.Ordinal)
            .Select(field => $"{field.Key}={field.Value}"));

    protected override void Map(WebApplication app)
    {
        app.MapGet("/gateway.do", (HttpContext context) =>
        {
            var fields = context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
            CashierVisits.Enqueue(fields);
            return CheckRequest(fields) && fields.GetValueOrDefault("app_id") == AppId
                ? Results.Content("<html><body>收银台</body></html>", "text/html; charset=utf-8")
                : Results.Content("<html><body>错误代码 invalid-signature</body></html>", "text/html; charset=utf-8");
        });

        app.MapPost("/gateway.do", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var fields = form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
            Queries.Enqueue(fields);
            if (QueryFaults.TryDequeue(out var fault) || (fault = AlwaysOnQuery) is not null)
            {
                return Serve(fault);
            }

            if (fields.GetValueOrDefault("app_id") != AppId)
            {
                return Unsigned("40002", "Invalid Arguments", "isv.invalid-app-id");
            }

            if (!CheckRequest(fields))
            {
                return Unsigned("40002", "Invalid Arguments", "isv.invalid-signature");
            }

            if (fields.GetValueOrDefault("method") != "alipay.trade.query" || fields.GetValueOrDefault("charset") != "utf-8" || fields.GetValueOrDefault("version") != "1.0")
            {
                return Unsigned("40002", "Invalid Arguments", "isv.invalid-method");
            }

            var outTradeNo = (JsonNode.Parse(fields.GetValueOrDefault("biz_content") ?? "{}") as JsonObject)?["out_trade_no"]?.GetValue<string>() ?? "";
            if (ForcedAnswers.TryDequeue(out var forced))
            {
                var sub = forced.SubCode is null ? "" : $$""","sub_code":"{{forced.SubCode}}","sub_msg":"系统繁忙" """.TrimEnd();
                return Signed($$"""{"code":"{{forced.Code}}","msg":"{{forced.Msg}}"{{sub}}""" + "}");
            }

            if (!Trades.TryGetValue(outTradeNo, out var trade))
            {
                return Signed($$"""{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在","buyer_pay_amount":"0.00","invoice_amount":"0.00","out_trade_no":"{{outTradeNo}}","point_amount":"0.00","receipt_amount":"0.00"}""");
            }

            // Spacing, a raw CJK string and an escaped slash: any client that re-serialises before checking fails.
            var paid = trade.SendPayDate is null ? "" : $$""", "send_pay_date":"{{trade.SendPayDate}}" """.TrimEnd();
            return Signed($$"""{ "code":"10000", "msg":"Success", "buyer_logon_id":"159****5620", "buyer_pay_amount":"0.00", "out_trade_no":"{{outTradeNo}}", "point_amount":"0.00", "receipt_amount":"0.00"{{paid}}, "total_amount":"{{trade.TotalAmount}}", "trade_no":"2026113022001400000000000001", "trade_status":"{{trade.Status}}", "store_name":"创作者 \/ 旗舰店" }""");
        });
    }

    private IResult Signed(string inner)
    {
        var sign = Convert.ToBase64String(_alipayKey.SignData(Encoding.UTF8.GetBytes(inner), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        if (TamperResponseSign)
        {
            sign = (sign[0] == 'A' ? "B" : "A") + sign[1..];
        }

        return Results.Text($$"""{"alipay_trade_query_response" : {{inner}},"sign":"{{sign}}"}""", "text/html;charset=utf-8", Encoding.UTF8);
    }

    private static IResult Unsigned(string code, string msg, string subCode) =>
        Results.Text($$"""{"error_response":{"code":"{{code}}","msg":"{{msg}}","sub_code":"{{subCode}}","sub_msg":"无效签名" """.TrimEnd() + "}}", "text/html;charset=utf-8", Encoding.UTF8);
}

/// <param name="TotalAmount">Yuan as Alipay writes it ("88.00").</param>
/// <param name="SendPayDate">Beijing time, once paid.</param>
public sealed record FakeTrade(string Status, string TotalAmount, string? SendPayDate = null);
