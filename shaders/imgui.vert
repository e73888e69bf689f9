#version 300 es
// Dear ImGui vertex shader (WebGL2 / GLSL ES 3.00). Attribute locations are fixed here so
// the renderer needs no glGetAttribLocation: 0 = position, 1 = uv, 2 = colour.
precision highp float;

layout (location = 0) in vec2 Position;
layout (location = 1) in vec2 UV;
layout (location = 2) in vec4 Color;

uniform mat4 ProjMtx;

out vec2 Frag_UV;
out vec4 Frag_Color;

void main() {
  Frag_UV = UV;
  Frag_Color = Color;
  gl_Position = ProjMtx * vec4(Position.xy, 0.0, 1.0);
}
