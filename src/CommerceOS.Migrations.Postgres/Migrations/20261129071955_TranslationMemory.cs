using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommerceOS.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TranslationMemory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TranslationMemory",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceLanguage = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    TargetLanguage = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    SourceKeyHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    SourceTextHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    SourceKey = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    SourceKeyLength = table.Column<int>(type: "integer", nullable: false),
                    SourceText = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    TargetText = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    MaskedTarget = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: true),
                    ProtectedValues = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TranslationMemory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TranslationMemory_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId",
                table: "TranslationMemory",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId_SourceLanguage_TargetLanguag~1",
                table: "TranslationMemory",
                columns: new[] { "WorkspaceId", "SourceLanguage", "TargetLanguage", "SourceKeyLength" });

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId_SourceLanguage_TargetLanguag~2",
                table: "TranslationMemory",
                columns: new[] { "WorkspaceId", "SourceLanguage", "TargetLanguage", "SourceTextHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TranslationMemory_WorkspaceId_SourceLanguage_TargetLanguage~",
                table: "TranslationMemory",
                columns: new[] { "WorkspaceId", "SourceLanguage", "TargetLanguage", "SourceKeyHash" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TranslationMemory");
        }
    }
}
