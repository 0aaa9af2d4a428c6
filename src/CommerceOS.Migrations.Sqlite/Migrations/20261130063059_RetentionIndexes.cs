using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RetentionIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Status_FinishedAt",
                table: "Jobs",
                columns: new[] { "Status", "FinishedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_OccurredAt",
                table: "AuditEvents",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_Assets_BlobKey",
                table: "Assets",
                column: "BlobKey");

            migrationBuilder.CreateIndex(
                name: "IX_Assets_Kind_LastUsedAt",
                table: "Assets",
                columns: new[] { "Kind", "LastUsedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Assets_SourceAssetId",
                table: "Assets",
                column: "SourceAssetId");

            migrationBuilder.CreateIndex(
                name: "IX_Assets_ThumbnailBlobKey",
                table: "Assets",
                column: "ThumbnailBlobKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_Status_FinishedAt",
                table: "Jobs");

            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_OccurredAt",
                table: "AuditEvents");

            migrationBuilder.DropIndex(
                name: "IX_Assets_BlobKey",
                table: "Assets");

            migrationBuilder.DropIndex(
                name: "IX_Assets_Kind_LastUsedAt",
                table: "Assets");

            migrationBuilder.DropIndex(
                name: "IX_Assets_SourceAssetId",
                table: "Assets");

            migrationBuilder.DropIndex(
                name: "IX_Assets_ThumbnailBlobKey",
                table: "Assets");
        }
    }
}
