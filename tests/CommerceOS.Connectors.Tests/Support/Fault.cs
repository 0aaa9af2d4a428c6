using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CommerceOS.Connectors.Tests.Support;

/// <summary>A canned failure a fake answers instead of its normal behaviour.</summary>
public delegate Task Fault(HttpContext context);

public static class Faults
{
    public static Fault Status(int status, string body = """{"detail":"Internal Server Error"}""", params (string Name, string Value)[] headers) => async context =>
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    };

    public static Fault RateLimitedSeconds(int seconds) =>
        Status(429, """{"detail":"Too many active tasks"}""", ("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Retry-After as an HTTP date, computed on the shared clock when the fault fires.</summary>
    public static Fault RateLimitedUntil(TimeProvider clock, TimeSpan wait) => context =>
        Status(429, """{"detail":"Too many active tasks"}""", ("Retry-After", (clock.GetUtcNow() + wait).ToString("R", CultureInfo.InvariantCulture)))(context);

    public static Fault MalformedJson() => async context =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"id": "x", "status": "Pen""");
    };
}
