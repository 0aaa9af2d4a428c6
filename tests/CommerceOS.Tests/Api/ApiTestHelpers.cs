using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommerceOS.Tests.Api;

internal static class ApiTestHelpers
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<JsonElement> CreateProductAsync(HttpClient client, string sku, string title = "Bamboo cup")
    {
        using var response = await client.PostAsJsonAsync("/api/v1/products", new { sku, title, description = "Reusable", category = "kitchen" }, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    public static MultipartFormDataContent Files(params (byte[] Bytes, string Name, string Type)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (bytes, name, type) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(part, "file", name);
        }

        return form;
    }

    public static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return body.TryGetProperty("code", out var code) ? code.GetString() : null;
    }
}
