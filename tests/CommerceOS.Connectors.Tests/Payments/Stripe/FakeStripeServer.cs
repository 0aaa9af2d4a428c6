using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CommerceOS.Connectors.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Payments.Stripe;

/// <summary>
/// The parts of the Stripe API the gateway uses, as external-apis.md §12 documents them: Bearer secret key (401
/// otherwise), form-encoded bodies, JSON answers with Stripe's error envelope, and idempotency (§12.6): a repeated key
/// with the same parameters replays the first answer (<c>Idempotent-Replayed: true</c>), with other parameters it is an
/// <c>idempotency_error</c>. <see cref="Faults"/> are served before anything is done (429, 5xx, hangs, broken JSON).
/// </summary>
public sealed class FakeStripeServer(TimeProvider clock) : KestrelFake
{
    public const string SecretKey = "sk_test_fake_4eC39HqLyjWDarjtT1zdp7dc";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotency = new(StringComparer.Ordinal);
    private int _next = 1000;

    public ConcurrentQueue<Fault> Faults { get; } = new();

    public ConcurrentQueue<Call> Calls { get; } = new();

    public ConcurrentDictionary<string, JsonObject> Sessions { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, JsonObject> Subscriptions { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> Customers { get; } = new(StringComparer.Ordinal);

    /// <summary>Events with whether their delivery succeeded.</summary>
    public ConcurrentQueue<(JsonObject Event, bool Delivered)> Events { get; } = new();

    public static async Task<FakeStripeServer> StartAsync(TimeProvider clock)
    {
        var fake = new FakeStripeServer(clock);
        await fake.ListenAsync();
        return fake;
    }

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal)
                : [];
            var call = new Call(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal),
                form,
                context.Request.Headers["Idempotency-Key"].ToString(),
                context.Request.Headers["Stripe-Version"].ToString(),
                context.Request.ContentType);
            Calls.Enqueue(call);
            context.Items["call"] = call;
            if (Faults.TryDequeue(out var fault))
            {
                await fault(context);
                return;
            }

            var auth = context.Request.Headers.Authorization.ToString();
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(auth[7..]), Encoding.UTF8.GetBytes(SecretKey)))
            {
                await Write(context, 401, Error("invalid_request_error", null, "Invalid API Key provided."));
                return;
            }

            if (context.Request.Method == "POST" && call.IdempotencyKey.Length > 0)
            {
                var fingerprint = call.Path + "?" + string.Join('&', form.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => pair.Key + "=" + pair.Value));
                (string Fingerprint, int Status, string Body) stored;
                lock (_lock)
                {
                    _idempotency.TryGetValue(call.IdempotencyKey, out stored);
                }

                if (stored.Fingerprint is not null)
                {
                    if (stored.Fingerprint != fingerprint)
                    {
                        await Write(context, 400, Error("idempotency_error", null, "Keys for idempotent requests can only be used with the same parameters they were first used with."));
                        return;
                    }

                    context.Response.Headers["Idempotent-Replayed"] = "true";
                    await Write(context, stored.Status, stored.Body);
                    return;
                }

                var buffer = new MemoryStream();
                var original = context.Response.Body;
                context.Response.Body = buffer;
                await next(context);
                context.Response.Body = original;
                var body = Encoding.UTF8.GetString(buffer.ToArray());
                lock (_lock)
                {
                    _idempotency[call.IdempotencyKey] = (fingerprint, context.Response.StatusCode, body);
                }

                await context.Response.WriteAsync(body);
                return;
            }

            await next(context);
        });

        app.MapPost("/v1/checkout/sessions", (HttpContext context) =>
        {
            var form = ((Call)context.Items["call"]!).Form;
            if (form.GetValueOrDefault("mode") != "subscription" || !form.ContainsKey("line_items[0][price_data][currency]"))
            {
                return Json(400, Error("invalid_request_error", "parameter_missing", "Missing required param: line_items."));
            }

            if (form.ContainsKey("customer") && form.ContainsKey("customer_email"))
            {
                return Json(400, Error("invalid_request_error", "parameter_invalid", "You may only specify one of these parameters: customer, customer_email."));
            }

            var id = "cs_test_" + Next();
            var session = new JsonObject
            {
                ["id"] = id,
                ["object"] = "checkout.session",
                ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
                ["status"] = "open",
                ["mode"] = "subscription",
                ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            };
            Sessions[id] = session;
            return Json(200, session);
        });

        app.MapGet("/v1/subscriptions/{id}", (string id) =>
            Subscriptions.TryGetValue(id, out var subscription) ? Json(200, subscription) : Missing("subscription", id));

        app.MapPost("/v1/subscriptions/{id}", (string id, HttpContext context) =>
        {
            if (!Subscriptions.TryGetValue(id, out var subscription))
            {
                return Missing("subscription", id);
            }

            var form = ((Call)context.Items["call"]!).Form;
            var item = subscription["items"]!["data"]![0]!.AsObject();
            if (form.TryGetValue("items[0][id]", out var itemId))
            {
                if (itemId != item["id"]!.GetValue<string>())
                {
                    return Json(400, Error("invalid_request_error", "resource_missing", "No such subscription item."));
                }

                // Mirrors the gateway's UNCONFIRMED reading: subscription items take an existing product.
                if (form.Keys.Any(key => key.StartsWith("items[0][price_data][product_data]", StringComparison.Ordinal)) || !form.ContainsKey("items[0][price_data][product]"))
                {
                    return Json(400, Error("invalid_request_error", "parameter_unknown", "Received unknown parameter: items[0][price_data][product_data]."));
                }

                item["price"] = new JsonObject
                {
                    ["id"] = "price_" + Next(),
                    ["product"] = form["items[0][price_data][product]"],
                    ["currency"] = form["items[0][price_data][currency]"],
                    ["unit_amount"] = long.Parse(form["items[0][price_data][unit_amount]"], CultureInfo.InvariantCulture),
                    ["recurring"] = new JsonObject { ["interval"] = form["items[0][price_data][recurring][interval]"] },
                };
            }

            foreach (var (key, value) in form.Where(pair => pair.Key.StartsWith("metadata[", StringComparison.Ordinal)))
            {
                subscription["metadata"]![key[9..^1]] = value;
            }

            if (form.TryGetValue("cancel_at_period_end", out var cancel))
            {
                subscription["cancel_at_period_end"] = cancel == "true";
            }

            return Json(200, subscription);
        });

        app.MapGet("/v1/events", (HttpContext context) =>
        {
            var query = context.Request.Query;
            var undelivered = query["delivery_success"].ToString() == "false";
            var since = long.TryParse(query["created[gte]"].ToString(), CultureInfo.InvariantCulture, out var gte) ? gte : 0;
            var limit = int.TryParse(query["limit"].ToString(), CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 10;
            var matching = Events
                .Where(entry => !undelivered || !entry.Delivered)
                .Select(entry => entry.Event)
                .Where(evt => evt["created"]!.GetValue<long>() >= since)
                .OrderByDescending(evt => evt["created"]!.GetValue<long>())
                .ToList();
            var after = query["starting_after"].ToString();
            if (after.Length > 0)
            {
                matching = [.. matching.SkipWhile(evt => evt["id"]!.GetValue<string>() != after).Skip(1)];
            }

            var page = matching.Take(limit).Select(evt => (JsonNode)evt.DeepClone()).ToArray();
            return Json(200, new JsonObject { ["object"] = "list", ["url"] = "/v1/events", ["has_more"] = matching.Count > limit, ["data"] = new JsonArray(page) });
        });

        app.MapPost("/v1/billing_portal/sessions", (HttpContext context) =>
        {
            var form = ((Call)context.Items["call"]!).Form;
            var customer = form.GetValueOrDefault("customer") ?? "";
            if (!Customers.ContainsKey(customer))
            {
                return Missing("customer", customer);
            }

            var id = "bps_" + Next();
            return Json(200, new JsonObject { ["id"] = id, ["object"] = "billing_portal.session", ["customer"] = customer, ["return_url"] = form.GetValueOrDefault("return_url"), ["url"] = $"https://billing.stripe.com/p/session/{id}" });
        });

        app.MapDelete("/v1/customers/{id}", (string id) =>
            Customers.TryRemove(id, out _) ? Json(200, new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true }) : Missing("customer", id));
    }

    public IEnumerable<Call> CallsTo(string method, string path) => Calls.Where(call => call.Method == method && call.Path == path);

    private string Next() => Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture) + clock.GetUtcNow().ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture);

    private static JsonObject Error(string type, string? code, string message) =>
        new() { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message } };

    private static IResult Missing(string what, string id) => Json(404, Error("invalid_request_error", "resource_missing", $"No such {what}: '{id}'"));

    private static IResult Json(int status, JsonObject body) => Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    private static async Task Write(HttpContext context, int status, JsonObject body) => await Write(context, status, body.ToJsonString());

    private static async Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    /// <summary>A request as it arrived (form decoded).</summary>
    public sealed record Call(string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Form, string IdempotencyKey, string StripeVersion, string? ContentType);

    /// <summary>Answers nothing until the client gives up (an attempt timeout).</summary>
    public static Fault Hang() => async context =>
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away: nothing to answer.
        }
    };
}
