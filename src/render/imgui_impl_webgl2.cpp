// dear imgui: Renderer Backend for WebGL2 (Emscripten, OpenGL ES 3.0 / GLSL ES 3.00)
// Derived from imgui_impl_opengl3.cpp of Dear ImGui 1.90.1; same four calls, one data
// struct in io.BackendRendererUserData.
//
// Implemented features:
//  [ ] Renderer: user textures ('GLuint' texture name as ImTextureID) are bound, but the
//      shader reads coverage from the red channel only: it is made for the font atlas.
//  [X] Renderer: large meshes (64k+ vertices) with 16-bit indices (ImDrawCmd::VtxOffset).
//  [X] Renderer: font atlas rebuilt at run time (CreateFontsTexture/DestroyFontsTexture).
//
// Deviations from imgui_impl_opengl3, and why:
//  - WebGL2 only. The GL3 backend picks WebGL1/ES2 on Emscripten unless told otherwise,
//    and keeps loader/version/extension probing we do not need; here the GLSL is always
//    "#version 300 es" and lives in shaders/imgui.{vert,frag}, embedded at build time.
//  - VtxOffset without glDrawElementsBaseVertex (WebGL2 has none): when a command's
//    VtxOffset changes, the vertex attribute pointers are re-pointed at that offset.
//  - Attribute locations are fixed by layout qualifiers, so no glGetAttribLocation.
//  - No polygon mode, primitive restart, clip origin or sampler backup: WebGL2 has no
//    glPolygonMode / GL_CLIP_ORIGIN, and we never bind samplers.
//  - No GL state backup/restore around RenderDrawData: the canvas and its context belong to
//    this backend alone, and in the browser every glGet* is a synchronous round trip to the
//    GPU process. Measured by tests/bench/run (25 tiles + 5,000 chat lines, swiftshader):
//    the 20 state reads cost ~9.8 of ~10.9 ms per frame, GL_SCISSOR_BOX alone ~4.8 ms.
//    SetupRenderState sets everything a draw needs, every frame.
//  - The font atlas is uploaded as one byte per pixel (GL_R8, ImGui's Alpha8 data), not
//    RGBA32: others' text decides how many glyphs it holds (src/platform/fonts.hpp bounds
//    it), and a full atlas of ~10,000 CJK glyphs took ~100 ms more to convert and upload
//    as RGBA (8 MB) on swiftshader. shaders/imgui.frag takes alpha from the red channel.
//  - The canvas is transparent and composited premultiplied: blending writes alpha with
//    (ONE, ONE_MINUS_SRC_ALPHA) so the framebuffer holds premultiplied colour, which is what
//    the browser expects of a {alpha:true, premultipliedAlpha:true} context.
//  - CreateDeviceObjects() makes no font texture (NewFrame() does, from the atlas there is
//    then): at Init the atlas would be built with ImGui's default font only to be replaced
//    by the app's at its first frame (~30 ms of start-up on a slow machine).
#include "imgui_impl_webgl2.h"

#include <GLES3/gl3.h>

#include <cstdint>
#include <cstdio>

#include "gc_imgui_shaders.h"  // generated: kImGuiVertexShader, kImGuiFragmentShader

namespace {

constexpr GLuint kAttribPosition = 0;
constexpr GLuint kAttribUV = 1;
constexpr GLuint kAttribColor = 2;

struct ImGui_ImplWebGL2_Data {
  GLuint FontTexture = 0;
  GLuint ShaderHandle = 0;
  GLint UniformLocationTex = -1;
  GLint UniformLocationProjMtx = -1;
  GLuint VaoHandle = 0;
  GLuint VboHandle = 0;
  GLuint ElementsHandle = 0;
};

ImGui_ImplWebGL2_Data* GetBackendData() {
  return ImGui::GetCurrentContext()
             ? static_cast<ImGui_ImplWebGL2_Data*>(ImGui::GetIO().BackendRendererUserData)
             : nullptr;
}

bool CheckShader(GLuint handle, const char* desc) {
  GLint status = 0, log_length = 0;
  glGetShaderiv(handle, GL_COMPILE_STATUS, &status);
  glGetShaderiv(handle, GL_INFO_LOG_LENGTH, &log_length);
  if (status == GL_FALSE) std::fprintf(stderr, "ImGui_ImplWebGL2: failed to compile %s\n", desc);
  if (log_length > 1) {
    ImVector<char> buf;
    buf.resize(log_length + 1);
    glGetShaderInfoLog(handle, log_length, nullptr, buf.begin());
    std::fprintf(stderr, "%s\n", buf.begin());
  }
  return status == GL_TRUE;
}

bool CheckProgram(GLuint handle) {
  GLint status = 0, log_length = 0;
  glGetProgramiv(handle, GL_LINK_STATUS, &status);
  glGetProgramiv(handle, GL_INFO_LOG_LENGTH, &log_length);
  if (status == GL_FALSE) std::fprintf(stderr, "ImGui_ImplWebGL2: failed to link the shader program\n");
  if (log_length > 1) {
    ImVector<char> buf;
    buf.resize(log_length + 1);
    glGetProgramInfoLog(handle, log_length, nullptr, buf.begin());
    std::fprintf(stderr, "%s\n", buf.begin());
  }
  return status == GL_TRUE;
}

// The VAO is ours alone, so the pointers persist between frames; they only move with VtxOffset.
void PointAttributesAt(unsigned int vtx_offset) {
  const auto base = static_cast<std::uintptr_t>(vtx_offset) * sizeof(ImDrawVert);
  auto at = [base](std::size_t field) { return reinterpret_cast<const void*>(base + field); };
  glVertexAttribPointer(kAttribPosition, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(kAttribUV, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(kAttribColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, col)));
}

void SetupRenderState(ImDrawData* draw_data, int fb_width, int fb_height) {
  ImGui_ImplWebGL2_Data* bd = GetBackendData();
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glViewport(0, 0, fb_width, fb_height);

  const float L = draw_data->DisplayPos.x;
  const float R = draw_data->DisplayPos.x + draw_data->DisplaySize.x;
  const float T = draw_data->DisplayPos.y;
  const float B = draw_data->DisplayPos.y + draw_data->DisplaySize.y;
  const float ortho_projection[4][4] = {
      {2.0f / (R - L), 0.0f, 0.0f, 0.0f},
      {0.0f, 2.0f / (T - B), 0.0f, 0.0f},
      {0.0f, 0.0f, -1.0f, 0.0f},
      {(R + L) / (L - R), (T + B) / (B - T), 0.0f, 1.0f},
  };
  glUseProgram(bd->ShaderHandle);
  glUniform1i(bd->UniformLocationTex, 0);
  glUniformMatrix4fv(bd->UniformLocationProjMtx, 1, GL_FALSE, &ortho_projection[0][0]);
  glBindVertexArray(bd->VaoHandle);
  glBindBuffer(GL_ARRAY_BUFFER, bd->VboHandle);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, bd->ElementsHandle);
}

}  // namespace

bool ImGui_ImplWebGL2_Init() {
  ImGuiIO& io = ImGui::GetIO();
  IMGUI_CHECKVERSION();
  IM_ASSERT(io.BackendRendererUserData == nullptr && "Already initialized a renderer backend!");
  auto* bd = IM_NEW(ImGui_ImplWebGL2_Data)();
  io.BackendRendererUserData = bd;
  io.BackendRendererName = "imgui_impl_webgl2";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
  return ImGui_ImplWebGL2_CreateDeviceObjects();
}

void ImGui_ImplWebGL2_Shutdown() {
  ImGui_ImplWebGL2_Data* bd = GetBackendData();
  IM_ASSERT(bd != nullptr && "No renderer backend to shutdown, or already shutdown?");
  ImGui_ImplWebGL2_DestroyDeviceObjects();
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = nullptr;
  io.BackendRendererUserData = nullptr;
  io.BackendFlags &= ~ImGuiBackendFlags_RendererHasVtxOffset;
  IM_DELETE(bd);
}

void ImGui_ImplWebGL2_NewFrame() {
  ImGui_ImplWebGL2_Data* bd = GetBackendData();
  IM_ASSERT(bd != nullptr && "Did you call ImGui_ImplWebGL2_Init()?");
  if (!bd->ShaderHandle) ImGui_ImplWebGL2_CreateDeviceObjects();
  if (!bd->FontTexture) ImGui_ImplWebGL2_CreateFontsTexture();
}

void ImGui_ImplWebGL2_RenderDrawData(ImDrawData* draw_data) {
  const int fb_width = static_cast<int>(draw_data->DisplaySize.x * draw_data->FramebufferScale.x);
  const int fb_height = static_cast<int>(draw_data->DisplaySize.y * draw_data->FramebufferScale.y);
  ImGui_ImplWebGL2_Data* bd = GetBackendData();
  if (fb_width <= 0 || fb_height <= 0 || bd == nullptr || bd->ShaderHandle == 0) return;

  glActiveTexture(GL_TEXTURE0);
  SetupRenderState(draw_data, fb_width, fb_height);

  // Clip rectangles are in ImGui (CSS pixel) space; the scissor is in framebuffer pixels.
  const ImVec2 clip_off = draw_data->DisplayPos;
  const ImVec2 clip_scale = draw_data->FramebufferScale;

  for (int n = 0; n < draw_data->CmdListsCount; n++) {
    const ImDrawList* cmd_list = draw_data->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(cmd_list->VtxBuffer.Size) * sizeof(ImDrawVert),
                 cmd_list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(cmd_list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                 cmd_list->IdxBuffer.Data, GL_STREAM_DRAW);
    unsigned int current_vtx_offset = 0;
    PointAttributesAt(current_vtx_offset);

    for (int cmd_i = 0; cmd_i < cmd_list->CmdBuffer.Size; cmd_i++) {
      const ImDrawCmd* pcmd = &cmd_list->CmdBuffer[cmd_i];
      if (pcmd->UserCallback != nullptr) {
        if (pcmd->UserCallback == ImDrawCallback_ResetRenderState) {
          SetupRenderState(draw_data, fb_width, fb_height);
          PointAttributesAt(current_vtx_offset);
        } else {
          pcmd->UserCallback(cmd_list, pcmd);
        }
        continue;
      }
      const ImVec2 clip_min((pcmd->ClipRect.x - clip_off.x) * clip_scale.x,
                            (pcmd->ClipRect.y - clip_off.y) * clip_scale.y);
      const ImVec2 clip_max((pcmd->ClipRect.z - clip_off.x) * clip_scale.x,
                            (pcmd->ClipRect.w - clip_off.y) * clip_scale.y);
      if (clip_max.x <= clip_min.x || clip_max.y <= clip_min.y) continue;

      if (pcmd->VtxOffset != current_vtx_offset) {
        current_vtx_offset = pcmd->VtxOffset;
        PointAttributesAt(current_vtx_offset);
      }
      // GL's scissor origin is bottom-left; ImGui's is top-left.
      glScissor(static_cast<GLint>(clip_min.x), static_cast<GLint>(fb_height - clip_max.y),
                static_cast<GLsizei>(clip_max.x - clip_min.x), static_cast<GLsizei>(clip_max.y - clip_min.y));
      glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<std::intptr_t>(pcmd->GetTexID())));
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(pcmd->ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<const void*>(static_cast<std::uintptr_t>(pcmd->IdxOffset) * sizeof(ImDrawIdx)));
    }
  }

}

bool ImGui_ImplWebGL2_CreateFontsTexture() {
  ImGuiIO& io = ImGui::GetIO();
  ImGui_ImplWebGL2_Data* bd = GetBackendData();

  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &width, &height);

  GLint last_texture;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGenTextures(1, &bd->FontTexture);
  glBindTexture(GL_TEXTURE_2D, bd->FontTexture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(bd->FontTexture)));
  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  // The pixels are MBs once CJK glyphs are in; the texture now holds them.
  io.Fonts->ClearTexData();
  return true;
}

void ImGui_ImplWebGL2_DestroyFontsTexture() {
  ImGuiIO& io = ImGui::GetIO();
  ImGui_ImplWebGL2_Data* bd = GetBackendData();
  if (bd && bd->FontTexture) {
    glDeleteTextures(1, &bd->FontTexture);
    io.Fonts->SetTexID(nullptr);
    bd->FontTexture = 0;
  }
}

bool ImGui_ImplWebGL2_CreateDeviceObjects() {
  ImGui_ImplWebGL2_Data* bd = GetBackendData();

  GLint last_texture, last_array_buffer, last_vertex_array;
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &last_texture);
  glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &last_array_buffer);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &last_vertex_array);

  const GLchar* vertex_src[] = {kImGuiVertexShader};
  const GLuint vert_handle = glCreateShader(GL_VERTEX_SHADER);
  glShaderSource(vert_handle, 1, vertex_src, nullptr);
  glCompileShader(vert_handle);
  const bool vert_ok = CheckShader(vert_handle, "vertex shader (shaders/imgui.vert)");

  const GLchar* fragment_src[] = {kImGuiFragmentShader};
  const GLuint frag_handle = glCreateShader(GL_FRAGMENT_SHADER);
  glShaderSource(frag_handle, 1, fragment_src, nullptr);
  glCompileShader(frag_handle);
  const bool frag_ok = CheckShader(frag_handle, "fragment shader (shaders/imgui.frag)");

  bd->ShaderHandle = glCreateProgram();
  glAttachShader(bd->ShaderHandle, vert_handle);
  glAttachShader(bd->ShaderHandle, frag_handle);
  glLinkProgram(bd->ShaderHandle);
  const bool link_ok = vert_ok && frag_ok && CheckProgram(bd->ShaderHandle);

  glDetachShader(bd->ShaderHandle, vert_handle);
  glDetachShader(bd->ShaderHandle, frag_handle);
  glDeleteShader(vert_handle);
  glDeleteShader(frag_handle);
  if (!link_ok) {
    glDeleteProgram(bd->ShaderHandle);
    bd->ShaderHandle = 0;
    return false;
  }

  bd->UniformLocationTex = glGetUniformLocation(bd->ShaderHandle, "Texture");
  bd->UniformLocationProjMtx = glGetUniformLocation(bd->ShaderHandle, "ProjMtx");

  glGenBuffers(1, &bd->VboHandle);
  glGenBuffers(1, &bd->ElementsHandle);
  glGenVertexArrays(1, &bd->VaoHandle);
  glBindVertexArray(bd->VaoHandle);
  glBindBuffer(GL_ARRAY_BUFFER, bd->VboHandle);
  glEnableVertexAttribArray(kAttribPosition);
  glEnableVertexAttribArray(kAttribUV);
  glEnableVertexAttribArray(kAttribColor);

  // No font texture (the header says why): NewFrame() makes it.

  glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last_texture));
  glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(last_array_buffer));
  glBindVertexArray(static_cast<GLuint>(last_vertex_array));
  return true;
}

void ImGui_ImplWebGL2_DestroyDeviceObjects() {
  ImGui_ImplWebGL2_Data* bd = GetBackendData();
  if (bd->VaoHandle) { glDeleteVertexArrays(1, &bd->VaoHandle); bd->VaoHandle = 0; }
  if (bd->VboHandle) { glDeleteBuffers(1, &bd->VboHandle); bd->VboHandle = 0; }
  if (bd->ElementsHandle) { glDeleteBuffers(1, &bd->ElementsHandle); bd->ElementsHandle = 0; }
  if (bd->ShaderHandle) { glDeleteProgram(bd->ShaderHandle); bd->ShaderHandle = 0; }
  ImGui_ImplWebGL2_DestroyFontsTexture();
}
