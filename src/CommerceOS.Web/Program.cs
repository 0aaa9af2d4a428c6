using CommerceOS.Web;

var app = CommerceOSWebHost.Build(args);
await app.RunAsync();

/// <summary>Entry point, also the anchor type for WebApplicationFactory in tests.</summary>
public partial class Program;
