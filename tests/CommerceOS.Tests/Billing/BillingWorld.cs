using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommerceOS.Core.Billing.Payments;
using CommerceOS.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CommerceOS.Tests.Billing;

/// <summary>Checkout, webhook delivery and bounded waits shared by the billing tests.</summary>
public static class BillingWorld
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> CheckoutAsync(HttpClient client, string plan, string cycle, string currency, string gateway = PaymentGateways.Test)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/billing/checkout", new { plan, cycle, currency, gateway }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    /// <summary>Posts a webhook as the gateway would: the exact bytes, its headers, no session.</summary>
    public static async Task<HttpResponseMessage> DeliverAsync(AppFactory app, string gateway, byte[] body, IReadOnlyDictionary<string, string> headers)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/{gateway}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await client.SendAsync(request, Ct);
    }

    public static async Task<JsonElement> WaitForPlanAsync(HttpClient client, string plan)
    {
        JsonElement subscription = default;
        await WaitAsync(async () =>
        {
            subscription = await client.GetFromJsonAsync<JsonElement>("/api/v1/subscription", Ct);
            return subscription.GetProperty("plan").GetString() == plan && subscription.GetProperty("currency").ValueKind != JsonValueKind.Null;
        });
        return subscription;
    }

    public static async Task WaitAsync(Func<Task<bool>> done)
    {
        // A bound, not a speed check: processing runs as a background job on a shared machine.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "The payment was not processed in time.");
            await Task.Delay(100, Ct);
        }
    }
}
